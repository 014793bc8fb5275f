# The operator's container image.
#   docker build -t infra-operator:0.1.0 .
# Stage 1 compiles TypeScript to dist/ with the dev dependencies; stage 2 holds only the
# production dependencies and dist/, and runs as a non-root user.
# Node.js 24, the active LTS line (package.json asks for >= 22.18; the compiled dist/ runs on both).

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
LABEL org.opencontainers.image.title="infra-operator" \
      org.opencontainers.image.description="Kubernetes operator for AWS ElastiCache (Redis, Valkey, Memcached)" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
# The image's "node" user (uid 1000), given by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8080
# A 1 MiB young generation (V8's default grows it to 16 MiB per semi-space during a burst of
# reconciles and the RSS stays there): peak RSS at 100 caches 96 instead of 123 MiB, for a few
# more scavenges (BENCHMARKS.md, issue 13). bench/compare.ts --ours-entry dist runs with these flags.
ENTRYPOINT ["node", "--max-semi-space-size=1", "dist/cli/main.js"]
CMD ["run"]
