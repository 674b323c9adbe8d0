/**
 * The minimap (Jaeger's span graph): every span of the trace drawn on a canvas, one thin line per span in row
 * order and coloured by service, so 100,000 spans cost one draw and no DOM. Over it, the zoom window of the
 * waterfall: drag inside it to pan, drag its edges to resize, drag anywhere else to select a new window.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { serviceColor } from "../../../components/service-color";
import { formatDurationUs } from "../../../format/duration";
import type { TraceModel } from "../trace-model";
import { clampWindow, panWindow, type ZoomWindow } from "./time-axis";

const HEIGHT = 64;

function draw(canvas: HTMLCanvasElement, model: TraceModel, cssWidth: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.floor(cssWidth * ratio));
  canvas.height = HEIGHT * ratio;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const n = model.spans.length;
  const total = Math.max(model.endUs - model.startUs, 1);
  const rowH = Math.max(1, Math.min(6 * ratio, h / Math.max(n, 1)));
  const colours = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const span = model.spans[i];
    if (!span) continue;
    let colour = span.status.code === "error" ? "#d33" : colours.get(span.service);
    if (colour === undefined) {
      colour = serviceColor(span.service);
      colours.set(span.service, colour);
    }
    ctx.fillStyle = colour;
    const x = ((span.start - model.startUs) / total) * w;
    ctx.fillRect(x, (i / n) * h, Math.max(1, (span.duration / total) * w), rowH);
  }
}

type Drag = { mode: "move" | "start" | "end" | "select"; x0: number; from: ZoomWindow; anchor: number };

function useCanvasWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function Minimap({
  model,
  zoom,
  onZoom,
}: {
  model: TraceModel;
  zoom: ZoomWindow;
  onZoom: (z: ZoomWindow) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<Drag | null>(null);
  const width = useCanvasWidth(box);

  useEffect(() => {
    const el = canvas.current;
    if (!el || width <= 0) return;
    // After the first rows have painted: drawing 100,000 spans takes a few hundred ms on a slow machine, and the
    // waterfall is what the user reads first.
    const timer = setTimeout(() => draw(el, model, width), 0);
    return () => clearTimeout(timer);
  }, [model, width]);

  const fractionAt = (clientX: number) => {
    const rect = box.current?.getBoundingClientRect();
    return rect && rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
  };
  const begin = (mode: Drag["mode"]) => (e: React.PointerEvent) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { mode, x0: e.clientX, from: zoom, anchor: fractionAt(e.clientX) };
  };
  const move = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const at = fractionAt(e.clientX);
    const delta = at - d.anchor;
    if (d.mode === "move") onZoom(panWindow(d.from, delta));
    else if (d.mode === "start") onZoom(clampWindow(Math.min(at, d.from.end - 0.001), d.from.end));
    else if (d.mode === "end") onZoom(clampWindow(d.from.start, Math.max(at, d.from.start + 0.001)));
    else if (Math.abs(e.clientX - d.x0) > 3) onZoom(clampWindow(d.anchor, at));
  };
  const end = () => {
    drag.current = null;
  };
  const total = model.endUs - model.startUs;

  return (
    <div className="minimap" data-testid="minimap">
      <div className="minimap-ticks" aria-hidden="true">
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <span key={t} style={{ left: `${t * 100}%` }}>
            {formatDurationUs(t * total)}
          </span>
        ))}
      </div>
      <div
        className="minimap-canvas-box"
        ref={box}
        onPointerDown={begin("select")}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
        role="presentation"
      >
        <canvas ref={canvas} className="minimap-canvas" style={{ height: HEIGHT }} />
        <div className="minimap-shade" style={{ left: 0, width: `${zoom.start * 100}%` }} />
        <div className="minimap-shade" style={{ left: `${zoom.end * 100}%`, right: 0 }} />
        <div
          className="minimap-window"
          data-testid="minimap-window"
          style={{ left: `${zoom.start * 100}%`, width: `${(zoom.end - zoom.start) * 100}%` }}
          onPointerDown={begin("move")}
          onPointerMove={move}
          onPointerUp={end}
          aria-label="Zoom window: drag to pan, drag an edge to resize"
          role="slider"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(zoom.start * 100)}
          tabIndex={0}
          onKeyDown={(e) => {
            const step = (zoom.end - zoom.start) / 10;
            if (e.key === "ArrowLeft") onZoom(panWindow(zoom, -step));
            if (e.key === "ArrowRight") onZoom(panWindow(zoom, step));
          }}
        >
          <span
            className="minimap-handle minimap-handle-start"
            data-testid="minimap-handle-start"
            onPointerDown={begin("start")}
            onPointerMove={move}
            onPointerUp={end}
          />
          <span
            className="minimap-handle minimap-handle-end"
            data-testid="minimap-handle-end"
            onPointerDown={begin("end")}
            onPointerMove={move}
            onPointerUp={end}
          />
        </div>
      </div>
    </div>
  );
}
