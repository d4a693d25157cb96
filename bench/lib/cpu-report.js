// Imported by every bench server: on SIGUSR2 it prints its CPU time so far, so the bench can
// charge CPU microseconds per request to the server alone (a figure that, unlike requests per
// second, hardly moves when other processes compete for the cores).
process.on('SIGUSR2', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`cpu ${user} ${system}\n`);
});
