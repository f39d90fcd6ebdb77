/** Minimal shell: the full playground UI replaces this. */
export function App() {
  return <main><h1>Kube Network Playground</h1></main>;
}
