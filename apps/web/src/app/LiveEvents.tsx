import { LiveEvent } from "@meshscope/model";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { coalesce } from "./coalesce";
import { isLiveQuery } from "./live-refresh";
import { useShellState } from "./useShellState";

/** Least time between two refreshes caused by live events (see coalesce.ts for why). */
export const LIVE_MIN_GAP_MS = 5000;

/**
 * While `refresh=live` (and the window ends now), listens to `GET /api/events` and refetches the live queries on
 * screen when new data was committed. EventSource reconnects by itself after a dropped stream (the server sends
 * `retry:`); the stream is closed when the mode changes or the shell unmounts. Renders nothing.
 */
export function LiveEvents() {
  const [shell] = useShellState();
  const queryClient = useQueryClient();
  const active = shell.refresh === "live" && shell.endUs === null;

  useEffect(() => {
    if (!active) return;
    const refresh = coalesce(() => {
      // cancelRefetch false: a refetch already in flight is kept rather than restarted (no request pile-up).
      void queryClient.invalidateQueries({ predicate: isLiveQuery }, { cancelRefetch: false });
    }, LIVE_MIN_GAP_MS);
    const source = new EventSource("/api/events");
    source.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== "string") return;
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (LiveEvent.safeParse(data).success) refresh.trigger();
    };
    return () => {
      source.close();
      refresh.cancel();
    };
  }, [active, queryClient]);

  return null;
}
