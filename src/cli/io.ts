/*
 * Everything the CLI touches outside itself, injected so tests can run the
 * whole command in-process against temp directories without process.chdir.
 */

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

let pipeGuarded = false;

export function processIO(): CliIO {
  if (!pipeGuarded) {
    pipeGuarded = true;
    // `scan … | head` closes the pipe early: stop quietly instead of crashing with an EPIPE trace.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
