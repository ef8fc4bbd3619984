import type { Dialect } from '../../engine/index.js';

/** What a file is, by the extension of the URI's path or by the content type the server declared. */
export type FileClass = 'executable' | 'script' | 'image' | 'media' | 'document' | 'archive' | 'text' | 'web' | 'binary' | 'other';

/** Extensions and their class: Windows, Linux, macOS and Android programs, scripts Windows runs, common data files. */
export const EXTENSION_CLASSES: Readonly<Record<Exclude<FileClass, 'binary' | 'other'>, readonly string[]>> = {
  executable: ['exe', 'dll', 'scr', 'msi', 'msp', 'com', 'cpl', 'sys', 'ocx', 'elf', 'so', 'apk', 'dmg', 'pkg', 'deb', 'rpm', 'jar', 'appx', 'msix'],
  script: ['ps1', 'psm1', 'vbs', 'vbe', 'jse', 'wsf', 'wsh', 'hta', 'bat', 'cmd', 'sh', 'lnk'],
  image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'ico', 'webp', 'svg', 'tif', 'tiff', 'avif'],
  media: ['mp3', 'mp4', 'm4a', 'wav', 'ogg', 'webm', 'avi', 'mov', 'mkv', 'flac'],
  document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'rtf', 'odt', 'ods', 'odp'],
  archive: ['zip', 'rar', '7z', 'gz', 'tgz', 'tar', 'cab', 'iso', 'bz2', 'xz'],
  text: ['txt', 'csv', 'log'],
  web: ['html', 'htm', 'css', 'js', 'json', 'xml', 'php', 'asp', 'aspx', 'jsp', 'woff', 'woff2'],
};

/** The extension of a URI path's last segment, lower case, '' when none (regexp_extract is common to DuckDB and Spark). */
export function pathExtension(d: Dialect, path: string): string {
  return `regexp_extract(lower(coalesce(${path}, '')), ${d.string('\\.([a-z0-9]{1,8})$')}, 1)`;
}

/** Rows (extension, class) of every extension EXTENSION_CLASSES knows: a small table to join, others are 'other'. */
export function extensionClassRows(): [string, string][] {
  return Object.entries(EXTENSION_CLASSES).flatMap(([cls, exts]) => exts.map((e): [string, string] => [e, cls]));
}

/** Content types of programs and scripts (the media type, without parameters). */
const EXECUTABLE_TYPES = [
  'application/x-msdownload', 'application/x-dosexec', 'application/x-msdos-program', 'application/x-executable', 'application/x-elf',
  'application/vnd.microsoft.portable-executable', 'application/x-sharedlib', 'application/java-archive', 'application/x-java-archive',
  'application/vnd.android.package-archive', 'application/x-msi', 'application/x-ms-installer', 'application/x-apple-diskimage', 'application/x-mach-binary',
];
const SCRIPT_TYPES = ['application/x-sh', 'text/x-shellscript', 'application/x-powershell', 'text/vbscript', 'application/hta', 'application/x-bat', 'application/x-ms-shortcut'];
const ARCHIVE_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/x-7z-compressed', 'application/x-rar-compressed', 'application/vnd.rar', 'application/gzip', 'application/x-gzip', 'application/x-tar', 'application/vnd.ms-cab-compressed', 'application/x-iso9660-image'];
const DOCUMENT_TYPES = ['application/pdf', 'application/msword', 'application/rtf'];
const WEB_TYPES = ['text/html', 'text/css', 'text/javascript', 'application/javascript', 'application/x-javascript', 'application/json', 'text/xml', 'application/xml', 'font/woff', 'font/woff2'];

/** SQL CASE classifying a Content-Type expression: its media type, lower case, parameters dropped. */
export function contentClass(d: Dialect, contentType: string): string {
  const t = `trim(lower(${firstPart(contentType)}))`;
  const inList = (types: readonly string[]) => `${t} IN (${types.map((x) => d.string(x)).join(', ')})`;
  return (
    `CASE WHEN ${inList(EXECUTABLE_TYPES)} THEN 'executable' WHEN ${inList(SCRIPT_TYPES)} THEN 'script' WHEN ${t} LIKE 'image/%' THEN 'image' ` +
    `WHEN ${t} LIKE 'audio/%' OR ${t} LIKE 'video/%' THEN 'media' WHEN ${inList(DOCUMENT_TYPES)} OR ${t} LIKE 'application/vnd.openxmlformats%' OR ${t} LIKE 'application/vnd.ms-%' THEN 'document' ` +
    `WHEN ${inList(ARCHIVE_TYPES)} THEN 'archive' WHEN ${inList(WEB_TYPES)} THEN 'web' WHEN ${t} LIKE 'text/%' THEN 'text' ` +
    `WHEN ${t} IN ('application/octet-stream', 'binary/octet-stream', 'application/binary') THEN 'binary' ELSE 'other' END`
  );
}

function firstPart(contentType: string): string {
  return `substr(coalesce(${contentType}, ''), 1, instr(coalesce(${contentType}, '') || ';', ';') - 1)`;
}

/**
 * Verdicts on an (extension class, content class) pair, first match wins: [condition, kind, base score]. Programs served
 * as something harmless, and harmless-looking files served as programs, are what filters that trust one of the two
 * miss; a generic binary type on a picture or document is weak evidence; any other program download is flagged.
 */
export function verdicts(ext: string, ct: string): readonly { when: string; kind: string; score: number }[] {
  const runnable = (x: string) => `${x} IN ('executable', 'script')`;
  const harmless = (x: string) => `${x} IN ('image', 'media', 'document', 'text', 'web')`;
  return [
    { when: `${runnable(ext)} AND ${harmless(ct)}`, kind: `${ext} || '-served-as-' || ${ct}`, score: 1 },
    { when: `${runnable(ct)} AND ${harmless(ext)}`, kind: `${ct} || '-disguised-as-' || ${ext}`, score: 1 },
    { when: `${ext} IN ('image', 'media', 'document') AND ${ct} = 'binary'`, kind: `'binary-served-as-' || ${ext}`, score: 0.3 },
    { when: `${runnable(ext)} OR ${runnable(ct)}`, kind: `'program-download'`, score: 0.5 },
  ];
}
