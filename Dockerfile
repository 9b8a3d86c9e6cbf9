FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY incidents ./incidents
COPY sla ./sla
COPY knowledge ./knowledge
COPY reporting ./reporting
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs a key only to import settings; the real one comes from the environment at run time.
RUN SECRET_KEY=collectstatic-only-build-time-key-not-used-at-runtime-0123456789 python manage.py collectstatic --no-input
RUN useradd --create-home app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
