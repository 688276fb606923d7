/**
 * stdout and stderr without Node's stream objects when a run does not need them.
 *
 * Node builds process.stdout, process.stderr and process.stdin on first use; for a pipe
 * that loads `net` and the stream machinery, which costs a start more CPU than `dma thac0`
 * itself (6 ms of 7 on the shared machine, `node -e` with the streams piped). A result is
 * written with writeSync on the descriptor, so a run that only prints never builds them.
 * Once a stream exists (a TTY or colour check, a spinner, a streamed payload, the full
 * program), every later write to that descriptor goes through it, in order; so does the
 * rest of a write the descriptor refuses for now (EAGAIN: a non-blocking pipe that is full).
 * `quietClosedPipes` attaches its handlers when a stream is first built, and a closed stdout
 * met by writeSync ends the run the same way: exit 0 for EPIPE or EBADF, stderr stays clean.
 */
import { fstatSync, writeSync } from 'node:fs';

type Fd = 1 | 2;
type StreamName = 'stdout' | 'stderr';

const built: Record<Fd, boolean> = { 1: false, 2: false };
const NAMES: Record<Fd, StreamName> = { 1: 'stdout', 2: 'stderr' };

/** Run `attach` on process.stdout/stderr the first time anything reads it (Node builds it then). */
function onFirstUse(fd: Fd, attach: (stream: NodeJS.WriteStream) => void): void {
  const name = NAMES[fd];
  if (built[fd]) {
    attach(process[name]);
    return;
  }
  const desc = Object.getOwnPropertyDescriptor(process, name);
  const get = desc?.get;
  if (!get || desc.configurable !== true) {
    built[fd] = true;
    attach(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: desc.enumerable ?? true,
    get() {
      const stream = get.call(process) as NodeJS.WriteStream;
      if (!built[fd]) {
        built[fd] = true;
        attach(stream);
      }
      return stream;
    },
  });
}

function stdoutFailed(err: NodeJS.ErrnoException): never {
  if (err.code === 'EPIPE' || err.code === 'EBADF' || err.code === 'ERR_STREAM_DESTROYED')
    process.exit(0);
  write(2, `dma: cannot write to stdout: ${err.message}\n`);
  process.exit(1);
}

/**
 * A reader that goes away (`dma … | head -1`) ends the command quietly with exit 0, as
 * `git log | head` does: nothing is left to say to it, and stderr stays clean.
 */
let quiet = false;
export function quietClosedPipes(): void {
  if (quiet) return;
  quiet = true;
  onFirstUse(1, (stream) => stream.on('error', stdoutFailed));
  onFirstUse(2, (stream) => stream.on('error', () => undefined));
}

/**
 * Whether descriptor 0, 1 or 2 is a terminal. A pipe or a file is not, which fstat tells
 * without building the stream; a character device (a terminal, or /dev/null) is asked to
 * its stream, as before.
 */
export function isTerminal(fd: 0 | Fd): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (fd === 0 ? process.stdin : process[NAMES[fd]]).isTTY === true;
}

/**
 * Write through process.stdout and process.stderr from now on: for a host that has them
 * already and captures what they are given (the fuzz runner calls main() in process).
 */
export function useStreams(): void {
  built[1] = true;
  built[2] = true;
}

/** Write `text` to stdout (1) or stderr (2): see the module comment. */
export function write(fd: Fd, text: string): void {
  if (built[fd]) {
    process[NAMES[fd]].write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
      if (fd === 1) stdoutFailed(err as NodeJS.ErrnoException);
      return; // stderr: nowhere left to report it
    }
  }
  process[NAMES[fd]].write(bytes.subarray(offset));
}
