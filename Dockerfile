# costshare workbench: the Streamlit app and the HTTP API (one image, two commands) for a bureau.
# Built and run by compose.yaml; see docs/deploy.md. The install is scripts/install-app.sh,
# the same script `make deploy-check` runs, so the image and the check cannot drift.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/costshare costshare

WORKDIR /app
COPY . /app
RUN COSTSHARE_INSTALL=normal bash scripts/install-app.sh

USER costshare
# Inside the container the app listens on all of the container's interfaces; only the
# reverse proxy's network reaches it (compose.yaml publishes no app port).
ENV STREAMLIT_SERVER_ADDRESS=0.0.0.0
EXPOSE 8501 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["python", "-m", "streamlit", "run", "app.py"]
