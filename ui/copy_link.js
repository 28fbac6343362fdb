// The address of the current view and a button that copies it (see ui/copy_link.py).
//
// The app keeps the address bar equal to what the page shows (ui/state.py writes it after every run, and
// after a section's own rerun), so the link is the page's own address: read when drawn, when the reader
// opens the panel or points at it, and when copied.

export default function ({ parentElement }) {
  const box = parentElement.querySelector(".pfp-link");
  const link = box.querySelector("a");
  const button = box.querySelector("button");
  const show = () => {
    if (link.href !== window.location.href) {
      link.href = window.location.href;
      link.textContent = window.location.href;
    }
  };
  show();
  // Streamlit may call this function again on a rerun: one watch per element, whatever the number of calls.
  if (!box.pfpWatch) box.pfpWatch = setInterval(() => { if (box.offsetParent !== null) show(); }, 250); // in sight
  button.onclick = async () => {
    show();
    try {
      await navigator.clipboard.writeText(link.href);
      button.textContent = "Copied";
    } catch {
      // No clipboard here (a page served over plain http): select the address for the reader to copy.
      const range = document.createRange();
      range.selectNodeContents(link);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => { button.textContent = "Copy link"; }, 2000);
  };
  return () => {
    clearInterval(box.pfpWatch);
    box.pfpWatch = null;
  };
}
