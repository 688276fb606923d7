/** PNG map: the SVG map rasterised by @resvg/resvg-js, loaded only when a PNG is asked for. */
import type { Dungeon } from '../dungeon/types.ts';
import { renderSvgMap, type SvgOptions } from './svg.ts';

export interface PngOptions extends SvgOptions {
  /** output width in pixels; default the SVG's own size */
  width?: number;
}

export async function renderPngMap(d: Dungeon, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = renderSvgMap(d, options);
  // heavy native module: imported lazily so that start-up stays fast
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Serif' },
    ...(options.width === undefined
      ? {}
      : { fitTo: { mode: 'width' as const, value: options.width } }),
  });
  return new Uint8Array(resvg.render().asPng());
}
