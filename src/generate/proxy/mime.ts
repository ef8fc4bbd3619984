import { pathExtension } from './request.js';

/** Content-Type of a response by the extension of the path, as web servers send them. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  php: 'text/html; charset=UTF-8',
  js: 'application/javascript',
  mjs: 'application/javascript',
  css: 'text/css',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  cab: 'application/vnd.ms-cab-compressed',
  exe: 'application/x-msdownload',
  msi: 'application/x-msi',
  deb: 'application/vnd.debian.binary-package',
  xz: 'application/x-xz',
  gz: 'application/gzip',
  zip: 'application/zip',
  '7z': 'application/x-7z-compressed',
  dat: 'application/octet-stream',
  vdf: 'application/octet-stream',
  txt: 'text/plain',
  xml: 'application/xml',
};

/** The type a server sends for a path: by its extension, HTML for paths without one. */
export function contentTypeOf(path: string): string {
  const ext = pathExtension(path);
  return ext === null ? 'text/html; charset=utf-8' : (BY_EXTENSION[ext.toLowerCase()] ?? 'application/octet-stream');
}
