# The app in a container: docker build -t fixed-points . && docker run -p 8501:8501 fixed-points
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# The app runs as an unprivileged user.
RUN useradd --create-home --uid 10001 app
WORKDIR /home/app/fixed-points

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app app.py ./
COPY --chown=app:app .streamlit .streamlit
COPY --chown=app:app app_pages app_pages
COPY --chown=app:app core core
COPY --chown=app:app docs docs
COPY --chown=app:app figures figures
COPY --chown=app:app ui ui
COPY --chown=app:app deploy deploy

USER app
EXPOSE 8501
# The slim image has no curl: ask Streamlit's health endpoint with Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
CMD ["python", "-m", "deploy.serve", "--server.address", "0.0.0.0", "--server.port", "8501"]
