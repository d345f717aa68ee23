FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --omit=optional
COPY . .
RUN npm run build
ENV NODE_ENV=production
CMD ["npm", "run", "start:api"]
