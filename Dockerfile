# Roost's image: one image for `roost core` and `roost front`.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core core
COPY plugins plugins
COPY admin admin
COPY protos protos
RUN pip install ".[postgres,mysql]" && useradd --system --uid 10001 --home /data roost \
    && mkdir -p /data && chown roost /data
USER roost
WORKDIR /data
EXPOSE 8080 50051
ENTRYPOINT ["roost"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/data"]
