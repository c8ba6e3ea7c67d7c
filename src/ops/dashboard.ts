import express from "express";
import type { Express, NextFunction, Request, Response } from "express";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import { challengeFor, isAuthorized } from "./admin-auth.js";
import type { AdminAuth } from "./admin-auth.js";

/*
 * Bull Board behind the admin credentials. Job data shown there holds ids only
 * (src/jobs/types.ts), so the dashboard reveals which repositories and
 * deliveries are being worked on, never a key or a token.
 */

export const DASHBOARD_PATH = "/admin/queues";

export interface DashboardOptions {
  queues: readonly Queue[];
  auth: AdminAuth;
  basePath?: string;
}

export function createDashboard(options: DashboardOptions): Express {
  const basePath = options.basePath ?? DASHBOARD_PATH;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: "stripe-leak-guard" } },
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(basePath, requireAdmin(options.auth), serverAdapter.getRouter());
  return app;
}

function requireAdmin(auth: AdminAuth) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (isAuthorized(auth, request.headers.authorization)) {
      next();
      return;
    }
    response.status(401).set("WWW-Authenticate", challengeFor(auth)).set("Cache-Control", "no-store").type("text/plain");
    response.send("401 Unauthorized: the queue dashboard needs the admin credentials\n");
  };
}
