# centralino engine image: build with the dev toolchain, run on a slim Node image as non-root.
#   docker build -t centralino .
#   docker run --rm -e CENTRALINO_TELEPHONY=ari -e CENTRALINO_ARI_URL=http://asterisk:8088 \
#     -e CENTRALINO_ARI_USERNAME=centralino -e CENTRALINO_ARI_PASSWORD=... centralino
# Without CENTRALINO_TELEPHONY=ari it runs on the embedded Asterisk simulator.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-web.ts ./scripts/build-web.ts
# The build also bundles the web pages into dist/web (served as files, no bundling at run time).
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS prompts
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY prompts/catalogue.yaml ./prompts/catalogue.yaml
RUN npm run prompts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY prompts/catalogue.yaml ./prompts/catalogue.yaml
COPY --from=prompts /app/prompts/audio ./prompts/audio
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
# Liveness: the API answers (readiness, with ARI and Redis, is /api/ready for the orchestrator).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CENTRALINO_HTTP_PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
