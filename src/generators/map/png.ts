/** PNG map: the SVG map rasterised by @resvg/resvg-js, loaded only when a PNG is asked for. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Dungeon } from '../dungeon/types.ts';
import { renderSvgMap, type SvgOptions } from './svg.ts';

export interface PngOptions extends SvgOptions {
  /** output width in pixels; default the SVG's own size, at most DEFAULT_MAX_WIDTH */
  width?: number;
}

/**
 * resvg's PNG encoder costs more than its rasteriser: a 30-room map at its SVG size (1880 px)
 * took ~300 ms to encode and ~180 ms to render. By default a map is at most this wide
 * (--width-free callers get a screen-sized image; the SVG is there for print).
 */
export const DEFAULT_MAX_WIDTH = 1200;

/** The map's fonts, when the usual DejaVu files are there: no scan of every system font. */
const DEJAVU = '/usr/share/fonts/truetype/dejavu';
const FONT_FILES = [
  'DejaVuSerif.ttf',
  'DejaVuSerif-Bold.ttf',
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
];

function fontOptions() {
  const files = FONT_FILES.map((f) => `${DEJAVU}/${f}`);
  const defaults = {
    defaultFontFamily: 'DejaVu Serif',
    serifFamily: 'DejaVu Serif',
    sansSerifFamily: 'DejaVu Sans',
  };
  return files.every((f) => existsSync(f))
    ? { loadSystemFonts: false, fontFiles: files, ...defaults }
    : { loadSystemFonts: true, ...defaults };
}

type ResvgOptions = import('@resvg/resvg-js').ResvgRenderOptions;
/** What a rasteriser's render gives: premultiplied RGBA pixels, and resvg's own PNG of them. */
interface Rendered {
  width: number;
  height: number;
  pixels: Buffer;
  asPng(): Buffer;
}
type Rasteriser = (svg: string, options: ResvgOptions) => { render(): Rendered };
/** The addon's own class: the same constructor as the package's, options as JSON text. */
type AddonResvg = new (svg: string, options: string) => ReturnType<Rasteriser>;

/**
 * On glibc Linux, resvg's addon package (`@resvg/resvg-js-linux-<arch>-gnu`), required
 * directly, resolved from @resvg/resvg-js as its loader resolves it. That loader first asks
 * `process.report.getReport()` whether the C library is musl, which builds a whole
 * diagnostic report (~10 ms, a fifth of a PNG map's own work). Undefined where this code is
 * not CommonJS (tests from source), on other systems, or if the addon does not load (a
 * musl system with the glibc package installed): the package's loader decides then.
 */
function glibcAddon(): AddonResvg | undefined {
  if (typeof require !== 'function' || typeof require.resolve !== 'function') return undefined;
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64'))
    return undefined;
  try {
    const fromPackage = createRequire(require.resolve('@resvg/resvg-js'));
    const addon = fromPackage(`@resvg/resvg-js-linux-${process.arch}-gnu`) as {
      Resvg?: AddonResvg;
    };
    return typeof addon.Resvg === 'function' ? addon.Resvg : undefined;
  } catch {
    return undefined;
  }
}

async function rasteriser(): Promise<Rasteriser> {
  const Addon = glibcAddon();
  if (Addon) return (svg, options) => new Addon(svg, JSON.stringify(options));
  // heavy native module: imported lazily so that start-up stays fast
  const { Resvg } = await import('@resvg/resvg-js');
  return (svg, options) => new Resvg(svg, options);
}

export async function renderPngMap(d: Dungeon, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = renderSvgMap(d, options);
  const rasterise = await rasteriser();
  const natural = Number(/width="(\d+)"/.exec(svg)?.[1] ?? DEFAULT_MAX_WIDTH);
  const width = options.width ?? Math.min(natural, DEFAULT_MAX_WIDTH);
  const resvg = rasterise(svg, {
    background: '#ffffff',
    font: fontOptions(),
    ...(width === natural ? {} : { fitTo: { mode: 'width' as const, value: width } }),
  });
  const image = resvg.render();
  // loaded here, not at the top: every `dungeon gen` imports this module, few draw a PNG
  const zlib = await import('node:zlib');
  return encodeOpaquePng(image, zlib) ?? new Uint8Array(image.asPng());
}

type Zlib = typeof import('node:zlib');
type Crc32 = (data: Uint8Array) => number;

/** One PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(crc32: Crc32, type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The rendered map as a PNG, written here rather than by resvg's encoder, which tries every
 * row filter and compresses hard: 14 ms of a 30-room map's ~150 ms run. The map is line art
 * on an opaque background, so rows go unfiltered through zlib's fastest level (4 ms; the
 * file is ~10% larger, 99 KB instead of 90 KB) as 8-bit RGBA: the same pixels as resvg's PNG.
 * The image must be opaque: resvg's pixels are premultiplied, the same as PNG's straight
 * RGBA only where alpha is 255 (the map always has a white background; the test checks).
 * Undefined (resvg encodes) where zlib has no crc32 (Node before 20.15).
 */
export function encodeOpaquePng(image: Rendered, zlib: Zlib): Uint8Array | undefined {
  const crc32 = (zlib as { crc32?: Crc32 }).crc32;
  if (typeof crc32 !== 'function') return undefined;
  const { width, height, pixels } = image;
  const stride = width * 4;
  const rows = Buffer.allocUnsafe((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    rows[at] = 0; // filter type None
    pixels.copy(rows, at + 1, y * stride, (y + 1) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk(crc32, 'IHDR', header),
    chunk(crc32, 'IDAT', zlib.deflateSync(rows, { level: 1 })),
    chunk(crc32, 'IEND', new Uint8Array(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
