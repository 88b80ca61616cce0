# syntax=docker/dockerfile:1
# opsroom: one image serving the API under /api and the operator console at /.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:admin

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# tsx is a runtime dependency: the server runs its TypeScript directly.
RUN npm ci --omit=dev && npm cache clean --force
COPY server ./server
COPY drizzle ./drizzle
COPY scripts ./scripts
COPY --from=build /app/admin/dist ./admin/dist
USER node
EXPOSE 3000
# slim images have no curl; Node 22's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
