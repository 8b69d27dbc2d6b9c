import type { TFastRoute } from "@/server/http/fast-lane.ts";
import * as claim from "./w/[workspace]/queue/claim/route.ts";
import * as decisions from "./w/[workspace]/queue/decisions/route.ts";
import * as progress from "./w/[workspace]/queue/progress/route.ts";
import * as undo from "./w/[workspace]/queue/undo/route.ts";

/**
 * The API routes the production web server also serves on its fast lane (server/http/fast-lane.ts):
 * the ones a moderator calls on every keypress. Same modules, same handlers, same wrapper as when
 * Next.js routes them; the paths mirror the folders above.
 */
export const FAST_LANE_ROUTES: TFastRoute[] = [
  { path: "/api/w/:workspace/queue/claim", module: claim },
  { path: "/api/w/:workspace/queue/decisions", module: decisions },
  { path: "/api/w/:workspace/queue/undo", module: undo },
  { path: "/api/w/:workspace/queue/progress", module: progress },
];
