# syntax=docker/dockerfile:1
# opsroom: one image serving the API under /api and the operator console at /.

# linux/amd64 explicitly: Fargate runs X86_64 tasks (infra/components/app.ts), and an image built on
# an Apple-silicon laptop would otherwise be arm64 and fail to start there.
FROM --platform=linux/amd64 node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: postinstall prepares a local npm start (scripts/prepare-start.ts), whose files are not copied yet.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build:admin

FROM --platform=linux/amd64 node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# RDS certificates chain to Amazon's own CA, which is not in Node's store; production verifies TLS.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
COPY package.json package-lock.json ./
# tsx is a runtime dependency: the server runs its TypeScript directly.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY contract ./contract
COPY server ./server
COPY drizzle ./drizzle
COPY scripts ./scripts
COPY --from=build /app/admin/dist ./admin/dist
USER node
EXPOSE 3000
# slim images have no curl; Node's fetch does the probe. /livez: the container is alive even while
# the database fails over.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1's child-free process: SIGTERM from ECS reaches the server directly and it drains.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
