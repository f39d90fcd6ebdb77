/** Saves bytes or text as a file the browser downloads. */
export function download(name: string, data: BlobPart, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A file name part from the scenario: its first metadata name, else "scenario". */
export function scenarioName(yaml: string): string {
  const m = /^\s*(?:metadata:\s*\{\s*name:\s*|\s+name:\s*)["']?([A-Za-z0-9][A-Za-z0-9._-]{0,62})/m.exec(yaml);
  return m?.[1] ?? 'scenario';
}
