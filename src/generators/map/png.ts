/** PNG map: the SVG map rasterised by @resvg/resvg-js, loaded only when a PNG is asked for. */
import { existsSync } from 'node:fs';
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

export async function renderPngMap(d: Dungeon, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = renderSvgMap(d, options);
  // heavy native module: imported lazily so that start-up stays fast
  const { Resvg } = await import('@resvg/resvg-js');
  const natural = Number(/width="(\d+)"/.exec(svg)?.[1] ?? DEFAULT_MAX_WIDTH);
  const width = options.width ?? Math.min(natural, DEFAULT_MAX_WIDTH);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: fontOptions(),
    ...(width === natural ? {} : { fitTo: { mode: 'width' as const, value: width } }),
  });
  return new Uint8Array(resvg.render().asPng());
}
