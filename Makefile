# The two commands of the README. Everything else is a step of these.
.PHONY: run test lint setup-run setup-test

run: setup-run
	.venv/bin/qms serve --demo

test: setup-test lint
	.venv/bin/python -m pytest

lint: setup-test
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/lint-imports

setup-run:
	./scripts/setup run

setup-test:
	./scripts/setup test
