// The lines a pull request adds or changes, from the unified diff GitHub
// gives per file (`patch` in the pull request's files list): the new-side
// line numbers of each `+` line of each hunk. Removed lines have no new
// line to cover; context lines are not changes.

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** New-side line numbers of the added lines, ascending; undefined when the text has no hunk. */
export function addedLines(patch: string): number[] | undefined {
  const added: number[] = [];
  let newLine: number | undefined;
  for (const line of patch.split("\n")) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      newLine = Number(header[1]);
      continue;
    }
    if (newLine === undefined) continue;
    if (line.startsWith("+")) {
      added.push(newLine);
      newLine += 1;
    } else if (line.startsWith(" ") || line === "") {
      newLine += 1;
    }
    // "-" (removed) and "\ No newline at end of file" do not move the new side.
  }
  return newLine === undefined ? undefined : added;
}

/** Consecutive line numbers as ranges, for annotations: [3,4,5,9] -> [[3,5],[9,9]]. */
export function lineRanges(lines: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const line of [...lines].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && line === last[1] + 1) last[1] = line;
    else ranges.push([line, line]);
  }
  return ranges;
}
