// A list that puts only its visible rows in the DOM (plus a small margin),
// so a board with 10,000 rows costs a few dozen elements. Rows have one
// fixed height; the spacer gives the scroll bar its full length.
//
//   const list = new VirtualList(container, 34, (row, element) => {...});
//   list.setRows(rows);     // re-renders the visible window only
//   list.refreshVisible();  // e.g. every second for countdowns

export class VirtualList {
  constructor(container, rowHeight, renderRow) {
    this.container = container;
    this.rowHeight = rowHeight;
    this.renderRow = renderRow;
    this.rows = [];
    container.classList.add('virtual');
    this.spacer = document.createElement('div');
    this.spacer.className = 'virtual-spacer';
    this.window = document.createElement('div');
    this.window.className = 'virtual-window';
    container.replaceChildren(this.spacer, this.window);
    this.pending = false;
    container.addEventListener('scroll', () => this.schedule());
    this.resizeObserver = new ResizeObserver(() => this.schedule());
    this.resizeObserver.observe(container);
  }

  setRows(rows) {
    this.rows = rows;
    this.spacer.style.height = `${rows.length * this.rowHeight}px`;
    this.render();
  }

  refreshVisible() {
    this.render();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const margin = 5;
    const first = Math.max(0, Math.floor(this.container.scrollTop / this.rowHeight) - margin);
    const visible = Math.ceil((this.container.clientHeight || 600) / this.rowHeight) + 2 * margin;
    const last = Math.min(this.rows.length, first + visible);
    this.window.style.transform = `translateY(${first * this.rowHeight}px)`;
    const elements = this.window.children;
    let index = 0;
    for (let i = first; i < last; i++, index++) {
      let element = elements[index];
      if (!element) {
        element = document.createElement('div');
        element.className = 'virtual-row';
        element.style.height = `${this.rowHeight}px`;
        this.window.appendChild(element);
      }
      this.renderRow(this.rows[i], element, i);
    }
    while (this.window.children.length > index) this.window.lastChild.remove();
  }

  destroy() {
    this.resizeObserver.disconnect();
  }
}
