/**
 * Times the stages of a run: each call closes the stage that ran since the previous call (or since the timer was
 * made), reports it to `onStage` and keeps its seconds in `seconds`, by name.
 */
export function stageTimer(onStage?: (stage: string, seconds: number, detail?: string) => void) {
  let last = performance.now();
  const seconds: Record<string, number> = {};
  const stage = (name: string, detail?: string) => {
    const now = performance.now();
    seconds[name] = (now - last) / 1000;
    onStage?.(name, seconds[name], detail);
    last = now;
  };
  return Object.assign(stage, { seconds });
}
