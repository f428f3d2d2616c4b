// A page's own stylesheet, added to <head> the first time the page mounts and kept afterwards:
// removing it on unmount would flash unstyled content when the user comes back.
export function useStylesheet(href) {
  const present = [...document.head.querySelectorAll('link[rel="stylesheet"]')]
    .some((link) => link.getAttribute('href') === href);
  if (present) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}
