import { useEffect, useState } from "react";

/** Copies `text` to the clipboard and says so for a moment. The label names what is copied (for screen readers). */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className="copy-button"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      data-testid={testId ?? "copy-button"}
      onClick={() => {
        // The clipboard API exists only in secure contexts (https or loopback); say so instead of failing silently.
        const clipboard = navigator.clipboard as Clipboard | undefined;
        if (!clipboard) {
          setState("failed");
          return;
        }
        clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
    </button>
  );
}
