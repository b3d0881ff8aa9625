# The QMS web app for production: waitress (threads) on port 5000, the graph in Neo4j.
# Build: docker compose build     Run: see docs/neo4j.md
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QMS_DATA_DIR=/var/lib/qms

# Graphviz draws the process maps (BPMN layout).
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system qms \
    && useradd --system --gid qms --home-dir /app --no-create-home --shell /usr/sbin/nologin qms \
    && install -d -o qms -g qms -m 0750 /var/lib/qms

WORKDIR /app
COPY pyproject.toml README.md ./
COPY qms/ qms/
COPY web/ web/
COPY exporters/ exporters/
COPY process_models/ process_models/
# Installed in place (read-only for the app user): the package data that pyproject does not
# list yet (the embedded store's .cypher migrations) is then still found.
RUN pip install --editable . && python -c "import qms.storage.neo4j.store, web"

USER qms
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/health', timeout=4)"]
CMD ["qms", "serve", "--host", "0.0.0.0", "--port", "5000", "--threads", "16"]
