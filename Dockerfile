# syntax=docker/dockerfile:1

# Build stage: a static binary. Generated *_templ.go files and the vendored
# htmx are committed, so neither templ nor npm is needed here.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/kts ./cmd/server
RUN mkdir -m 0700 /out/data

# Run stage: distroless "static" has CA certificates (to reach an https
# Moodle), tzdata and a nonroot user, and no shell or package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kts /kts
# The SQLite store (the default, -database-url empty) lives in /data: mount a volume there so
# it outlives the container. With PostgreSQL (-database-url) nothing is written to it.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV KTS_DATA_DIR=/data
VOLUME /data
USER nonroot:nonroot
# The listen address as an environment variable rather than a flag, so the
# health check below (the same binary, started without flags) finds the same
# port when an operator changes it with -e KTS_ADDR=:9090.
ENV KTS_ADDR=:8080
EXPOSE 8080
# No curl in distroless: the binary itself GETs /healthz and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/kts", "-healthcheck"]
ENTRYPOINT ["/kts"]
