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
type Rasteriser = (svg: string, options: ResvgOptions) => { render(): { asPng(): Buffer } };
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
  return new Uint8Array(resvg.render().asPng());
}
