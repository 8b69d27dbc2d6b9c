import { splitByHighlights, type TExplanation } from "@/lib/explain/leave-one-out.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

/** The excerpt with the words that drove the suggestion marked; strength shows as the mark's depth. */
export function HighlightedText({ text, explanation, targetName }: { text: string; explanation: TExplanation | null | undefined; targetName: string }) {
  const highlights = explanation?.highlights ?? [];
  if (highlights.length === 0) return <VisibleText text={text} />;
  const strongest = Math.max(...highlights.map((h) => h.weight));
  return (
    <>
      {splitByHighlights(text, highlights).map((piece, i) =>
        piece.highlight ? (
          <mark
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable text; position is their identity
            key={i}
            data-testid="highlight"
            data-weight={piece.highlight.weight}
            title={`Drove the suggestion: without this word the odds of ${targetName} fall ×${Math.exp(piece.highlight.weight).toFixed(1)}`}
            className={`rounded-sm px-0.5 text-inherit underline decoration-2 underline-offset-4 ${
              piece.highlight.weight >= strongest * 0.6 ? "bg-amber-200 decoration-amber-600" : "bg-amber-100 decoration-amber-400"
            }`}
          >
            <VisibleText text={piece.text} />
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable text; position is their identity
          <VisibleText key={i} text={piece.text} />
        ),
      )}
    </>
  );
}
