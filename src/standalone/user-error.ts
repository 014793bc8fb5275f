// A problem the user fixes (file, spec, missing Secret or program): printed as is, exit code 1,
// and raised before any state is written.
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}
