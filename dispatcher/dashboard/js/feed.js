// The live feed: a WebSocket to /api/v1/feed that first sends
// {"snapshot": Snapshot} and then {"items": [FeedItem, ...]}: every
// committed change in sequence order, heartbeats included (about once a
// second), as many to a message as waited while the server's previous
// write to this page was in flight. Listeners still get one item at a
// time. The page is served by the dispatcher whose feed it reads, so a
// reload after an upgrade brings the framing's reader with it; a message
// of a shape this page does not know closes the socket (and the page shows
// the feed offline) rather than being ignored while the boards go stale.
//
// Nothing is missed: after a close, an item sequence gap or a silent link
// the feed reconnects with backoff; the server sends a fresh snapshot and
// every listener rebuilds from it (refetching its lists) before applying
// newer items. The server's clock is estimated from the items' times, so
// countdowns run on the dispatcher's time rather than the browser's.

const kMaxBackoffMs = 10000;
const kSilenceMs = 10000;  // heartbeats come every second or so
const kClockSamples = 20;

export class LiveFeed {
  constructor() {
    this.snapshotListeners = [];
    this.itemListeners = [];
    this.stateListeners = [];
    this.sequence = 0;
    this.backoffMs = 500;
    this.offsetSamples = [];
    this.serverOffsetMs = 0;
    this.state = 'connecting';
    this.socket = null;
    this.stopped = false;
    this.retryAt = 0;
  }

  // listener(snapshot): the view rebuilds from scratch.
  onSnapshot(listener) {
    this.snapshotListeners.push(listener);
  }

  // listener(item): one committed change (or a heartbeat).
  onItem(listener) {
    this.itemListeners.push(listener);
  }

  // listener(state, retryInSeconds): "live", "connecting", "offline".
  onState(listener) {
    this.stateListeners.push(listener);
  }

  // The dispatcher's time now, in milliseconds since the epoch.
  now() {
    return Date.now() + this.serverOffsetMs;
  }

  start() {
    this.stopped = false;
    this.connect();
    this.watchdog = setInterval(() => {
      if (this.socket && this.state === 'live' && Date.now() - this.lastMessageAt > kSilenceMs) this.socket.close();
    }, 1000);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  setState(state, retryInSeconds = 0) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, retryInSeconds);
  }

  connect() {
    if (this.stopped) return;
    this.setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/feed`);
    this.socket = socket;
    this.lastMessageAt = Date.now();
    this.haveSnapshot = false;
    socket.onmessage = (event) => this.receive(socket, event.data);
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, kMaxBackoffMs);
      this.setState('offline', Math.ceil(delay / 1000));
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  receive(socket, data) {
    this.lastMessageAt = Date.now();
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      socket.close();
      return;
    }
    if (message?.snapshot) {
      this.haveSnapshot = true;
      this.sequence = Number(message.snapshot.sequence ?? 0);
      this.backoffMs = 500;
      this.setState('live');
      for (const listener of this.snapshotListeners) listener(message.snapshot);
      return;
    }
    if (!Array.isArray(message?.items) || !this.haveSnapshot) {
      socket.close();
      return;
    }
    for (const item of message.items) {
      // After a gap the rest of the message is not applied either.
      if (!this.apply(socket, item)) return;
    }
  }

  // One item in sequence order; false when the feed must resynchronise.
  apply(socket, item) {
    if (item === null || typeof item !== 'object') {
      socket.close();
      return false;
    }
    this.sampleClock(item.at);
    const sequence = Number(item.sequence ?? 0);
    if (item.heartbeat !== undefined) {
      // A heartbeat repeats the last sequence: a higher one means we lost items.
      if (sequence > this.sequence) {
        socket.close();
        return false;
      }
      for (const listener of this.itemListeners) listener(item);
      return true;
    }
    if (sequence <= this.sequence) return true;  // already in the snapshot
    if (sequence !== this.sequence + 1) {
      socket.close();  // a gap: resynchronise from a fresh snapshot
      return false;
    }
    this.sequence = sequence;
    for (const listener of this.itemListeners) listener(item);
    return true;
  }

  // Items are stamped when the server publishes them and arrive a little
  // later, so each sample underestimates the server's clock by the delay;
  // the largest recent sample is the closest.
  sampleClock(at) {
    const ms = Date.parse(at ?? '');
    if (Number.isNaN(ms)) return;
    this.offsetSamples.push(ms - Date.now());
    if (this.offsetSamples.length > kClockSamples) this.offsetSamples.shift();
    this.serverOffsetMs = Math.max(...this.offsetSamples);
  }
}
