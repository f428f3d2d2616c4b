// An artifact of a run: download with the token, and an inline preview of images, text and JSON.

import { fetchBlob } from './api.js';
import { h, formatBytes } from './dom.js';

const PREVIEW_LIMIT_BYTES = 2 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-yaml|yaml|x-ndjson|javascript|csv))/;
const TEXT_NAMES = /\.(txt|log|md|csv|tsv|json|ya?ml|xml|ini|cfg|py|usda?)$/i;
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|bmp|avif)$/; // not SVG: scripts in it stay out of the page

export function previewKind(artifact) {
  if (artifact.file_size > PREVIEW_LIMIT_BYTES) return null;
  const type = (artifact.mime_type || '').toLowerCase();
  if (IMAGE_TYPES.test(type)) return 'image';
  if (type.includes('json') || /\.json$/i.test(artifact.file_name)) return 'json';
  if (TEXT_TYPES.test(type) || TEXT_NAMES.test(artifact.file_name)) return 'text';
  return null;
}

async function download(artifact, button) {
  button.disabled = true;
  try {
    const blob = await fetchBlob(artifact.download_url);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: artifact.file_name || artifact.name, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } finally {
    button.disabled = false;
  }
}

/** A list item for one artifact, with Download and (when it can be shown) Preview. */
export function artifactItem(artifact) {
  const kind = previewKind(artifact);
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const status = h('p', { class: 'field-error', role: 'alert' });
  let objectUrl = null;
  const downloadButton = h('button', { type: 'button', class: 'small' }, 'Download');
  downloadButton.addEventListener('click', () => download(artifact, downloadButton).catch((error) => {
    status.textContent = error.message;
  }));
  const previewButton = kind ? h('button', { type: 'button', class: 'small', 'aria-expanded': 'false' }, 'Preview')
    : null;
  async function show() {
    if (preview.childElementCount) {
      preview.replaceChildren();
      previewButton.setAttribute('aria-expanded', 'false');
      previewButton.textContent = 'Preview';
      return;
    }
    previewButton.disabled = true;
    try {
      const blob = await fetchBlob(artifact.download_url);
      if (kind === 'image') {
        if (objectUrl) URL.revokeObjectURL(objectUrl);
        objectUrl = URL.createObjectURL(blob);
        preview.append(h('img', { src: objectUrl, alt: `${artifact.name} (artifact preview)` }));
      } else {
        let text = await blob.text();
        if (kind === 'json') {
          try {
            text = JSON.stringify(JSON.parse(text), null, 2);
          } catch {
            // Not valid JSON after all: shown as it is.
          }
        }
        preview.append(h('pre', { class: 'output', tabindex: '0' }, text));
      }
      previewButton.setAttribute('aria-expanded', 'true');
      previewButton.textContent = 'Hide preview';
    } catch (error) {
      status.textContent = error.message;
    } finally {
      previewButton.disabled = false;
    }
  }
  if (previewButton) previewButton.addEventListener('click', show);
  const item = h('li', { class: 'artifact', dataset: { id: artifact.id } },
    h('div', { class: 'row' },
      h('strong', {}, artifact.name),
      h('span', { class: 'muted' }, `${artifact.file_name} · ${artifact.artifact_type} · ${formatBytes(artifact.file_size)}`),
      h('span', { class: 'grow' }),
      previewButton, downloadButton),
    status, preview);
  item.release = () => { if (objectUrl) URL.revokeObjectURL(objectUrl); };
  if (kind === 'image') show(); // images are what people look for first
  return item;
}
