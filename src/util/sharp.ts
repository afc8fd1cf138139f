export type Sharp = (typeof import('sharp'))['default'];

let sharpModule: Promise<Sharp> | null = null;

/**
 * sharp (libvips) is loaded on first use, not at start: it adds about 25 MB to every process,
 * and worker processes — most of a release-day deployment — never make an image.
 */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}
