import { revealInvisible } from "@/lib/text/reveal-invisible.ts";

/**
 * Excerpt text as it was written: bidirectional controls and invisible characters appear as small
 * marked badges (⟨RLO⟩, ⟨ZWSP⟩ …) instead of silently reordering or splitting the text, and the whole
 * run is isolated (<bdi>) so right-to-left text cannot flip what is around it. Use it wherever text
 * from imports is shown.
 */
export function VisibleText({ text }: { text: string }) {
  const segments = revealInvisible(text);
  return (
    <bdi>
      {segments.map((s, i) =>
        s.kind === "text" ? (
          s.text
        ) : (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable string; position is their identity
            key={i}
            role="img"
            title={`Hidden character in the original text: ${s.name}`}
            aria-label={`hidden character ${s.name}`}
            data-hidden-char={s.label}
            className="mx-px inline-block rounded border border-amber-400 bg-amber-50 px-0.5 align-baseline font-mono text-[0.7em] leading-tight text-amber-800"
          >
            {s.label}
          </span>
        ),
      )}
    </bdi>
  );
}
