"""The demo organisation and reusable templates, as plain model files."""

from pathlib import Path

DEMO = Path(__file__).parent / "demo"
