// Stops every engine when the hosting process is asked to stop (SIGTERM/SIGINT) or exits.
// Other SIGTERM/SIGINT listeners (the API side's) keep control of how the process exits;
// when ours is the only one, the signal is re-raised after cleanup so the default exit
// (status 128+signal) still happens.

export interface ExitGuard {
  dispose(): void;
}

export function installExitGuard(stopAll: () => Promise<void>, killAllNow: () => void): ExitGuard {
  const signals: NodeJS.Signals[] = ["SIGTERM", "SIGINT"];
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stopping ??= stopAll().catch(() => killAllNow());
    void stopping.then(() => {
      const othersListen = process.listeners(signal).some((listener) => listener !== onSignal);
      if (!othersListen) {
        dispose();
        process.kill(process.pid, signal);
      }
    });
  };
  // Last resort on a plain exit: no awaiting possible, so signal what is still running.
  const onExit = () => killAllNow();
  for (const signal of signals) process.on(signal, onSignal);
  process.on("exit", onExit);
  const dispose = () => {
    for (const signal of signals) process.off(signal, onSignal);
    process.off("exit", onExit);
  };
  return { dispose };
}
