/** Splits streamed text into complete lines (or records, with another separator); keeps the partial last one for the next chunk. */
export class LineSplitter {
  private rest = "";

  constructor(private readonly separator = "\n") {}

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split(this.separator);
    this.rest = lines.pop() ?? "";
    return lines;
  }

  end(): string[] {
    const last = this.rest;
    this.rest = "";
    return last ? [last] : [];
  }
}
