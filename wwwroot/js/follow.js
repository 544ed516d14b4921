// Autoscroll for the console transcripts: keep an element scrolled to its end while new lines arrive, unless the
// reader has scrolled up to read something (then leave them be until they scroll back to the end).
window.echoBridge = window.echoBridge || {};
window.echoBridge.follow = function (element) {
  if (!element || element.dataset.follow) return;
  element.dataset.follow = "on";
  let atEnd = true;
  element.addEventListener("scroll", function () {
    atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  });
  new MutationObserver(function () {
    if (atEnd) element.scrollTop = element.scrollHeight;
  }).observe(element, { childList: true, subtree: true, characterData: true });
};
