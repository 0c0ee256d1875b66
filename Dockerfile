# prikaz with its fonts, for CI jobs: `docker build -t prikaz .`, then
# `docker run --rm -v "$PWD:/plans" prikaz prikaz build`. The fonts are
# embedded in the binary too; they are copied for tools run beside it.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/prikaz

FROM debian:bookworm-slim
# git: prikaz diff and the manifest's commit read the plan repository;
# curl and jq: the CI templates post the diff note and keep the documents.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates curl jq \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/prikaz /usr/local/bin/prikaz
COPY fonts/ /usr/share/fonts/truetype/prikaz/
# A CI job mounts the plan repository here; git trusts it whoever owns it.
RUN git config --system --add safe.directory '*'
WORKDIR /plans
CMD ["prikaz", "--help"]
