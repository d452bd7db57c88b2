// Focus music: libraries, their tracks, uploads with progress, playback.
import { get, post, del, upload } from './api.js';
import { h, formatBytes, formatDuration, plural } from './util.js';

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const LINK_MAX_AGE_MS = 50 * 60 * 1000; // download_url lives an hour; refetch before then
const TYPES_BY_EXT = {
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', oga: 'audio/ogg',
  flac: 'audio/flac', aac: 'audio/aac', m4a: 'audio/x-m4a', mp4: 'audio/mp4',
};

function contentTypeOf(file) {
  if (file.type && file.type.startsWith('audio/')) return file.type;
  const ext = (/\.([a-z0-9]+)$/i.exec(file.name) || [])[1];
  return ext ? TYPES_BY_EXT[ext.toLowerCase()] || null : null;
}

const titleFromName = (name) => name.replace(/\.[^.]+$/, '').trim() || name;

// How long an audio file plays, read by the browser (null when it cannot).
function readDuration(file) {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const a = new Audio();
    let done = false;
    const finish = (v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      resolve(Number.isFinite(v) && v > 0 ? Math.round(v) : null);
    };
    const timer = setTimeout(() => finish(null), 5000);
    a.preload = 'metadata';
    a.addEventListener('loadedmetadata', () => finish(a.duration));
    a.addEventListener('error', () => finish(null));
    a.src = url;
  });
}

export function createMusic(root) {
  const errEl = root.querySelector('#music-error');
  const statusEl = root.querySelector('#upload-status');
  // Music's messages stay in the music panel, next to what they are about.
  const announce = (text, isError = false) => {
    if (isError) { errEl.textContent = text; } else { errEl.textContent = ''; statusEl.textContent = text; }
  };
  const report = (err) => {
    if (!err || err.status === 401 || err.status === 503 || err.kind === 'network') return;
    announce(err.message || 'Something went wrong.', true);
  };
  const $ = (sel) => root.querySelector(sel);
  const libForm = $('#library-form');
  const libName = $('#library-name');
  const libList = $('#library-list');
  const libEmpty = $('#library-empty');
  const detail = $('#library-detail');
  const detailTitle = $('#library-title');
  const upForm = $('#upload-form');
  const fileInput = $('#audio-file');
  const titleInput = $('#track-title');
  const upButton = $('#upload-button');
  const progress = $('#upload-progress');
  const upStatus = $('#upload-status');
  const trackList = $('#track-list');
  const trackEmpty = $('#track-empty');
  const player = $('#player');
  const nowPlaying = $('#now-playing');

  let libraries = [];
  let selectedId = null;
  let tracks = [];
  let tracksAt = 0;
  let playingId = null;
  let uploading = false;
  let chosenId = null;     // the track the person chose: it follows the timer
  let phaseKind = 'idle';  // the timer's: 'focus-running', 'paused', 'idle'

  const selected = () => libraries.find((l) => l.id === selectedId) || null;

  function renderLibraries() {
    libEmpty.hidden = libraries.length > 0;
    libList.replaceChildren(...libraries.map((lib) => {
      const isSel = lib.id === selectedId;
      return h('li', { class: 'lib' + (isSel ? ' selected' : ''), dataset: { id: lib.id } },
        h('button', {
          type: 'button', class: 'lib-open', 'aria-pressed': isSel ? 'true' : 'false',
          onclick: () => select(lib.id),
        }, lib.name),
        h('span', { class: 'muted lib-count' }, plural(lib.tracks_count ?? 0, 'track', 'tracks')),
        h('button', {
          type: 'button', class: 'icon fav', 'aria-pressed': lib.is_favorite ? 'true' : 'false',
          'aria-label': `Favorite ${lib.name}`, title: lib.is_favorite ? 'Unfavorite' : 'Favorite',
          onclick: () => toggleFavorite(lib),
        }, lib.is_favorite ? '★' : '☆'),
        h('button', {
          type: 'button', class: 'danger small', 'aria-label': `Delete library ${lib.name}`,
          onclick: () => removeLibrary(lib),
        }, 'Delete'));
    }));
    const lib = selected();
    detail.hidden = !lib;
    if (lib) detailTitle.textContent = lib.name;
  }

  function renderTracks() {
    trackEmpty.hidden = tracks.length > 0;
    trackList.replaceChildren(...tracks.map((t) => {
      const facts = [t.mime_type, formatBytes(t.size_bytes)];
      if (t.duration_seconds) facts.push(formatDuration(t.duration_seconds));
      return h('li', { class: 'track' + (t.id === playingId ? ' playing' : ''), dataset: { id: t.id } },
        h('h4', { class: 'track-title' }, t.track_title),
        t.id === playingId ? h('p', { class: 'muted track-facts' }, 'Chosen: plays while you focus') : null,
        h('p', { class: 'muted track-facts' }, facts.join(' · ')),
        h('div', { class: 'row' },
          h('button', {
            type: 'button', 'aria-label': `Play ${t.track_title}`, onclick: () => play(t.id),
          }, 'Play'),
          h('button', {
            type: 'button', class: 'danger small', 'aria-label': `Delete track ${t.track_title}`,
            onclick: () => removeTrack(t),
          }, 'Delete')));
    }));
  }

  async function loadLibraries() {
    const data = await get('/api/focus/libraries?page=1&page_size=100');
    libraries = data.libraries || [];
    if (!selected()) selectedId = libraries.length ? libraries[0].id : null;
    renderLibraries();
    await loadTracks();
  }

  async function loadTracks() {
    const id = selectedId;
    if (!id) { tracks = []; renderTracks(); return; }
    const data = await get(`/api/focus/libraries/${id}/tracks`);
    if (id !== selectedId) return;
    tracks = data.tracks || [];
    tracksAt = Date.now();
    renderTracks();
  }

  function select(id) {
    if (id === selectedId) return;
    selectedId = id;
    tracks = [];
    renderLibraries();
    renderTracks();
    upStatus.textContent = '';
    loadTracks().catch(report);
  }

  libForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = libName.value.trim();
    if (!name) { announce('Give the library a name.', true); libName.focus(); return; }
    const button = libForm.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const lib = await post('/api/focus/libraries', { name, library_type: 'custom' });
      libName.value = '';
      selectedId = lib.id;
      await loadLibraries();
      announce(`Library “${lib.name}” created.`);
      fileInput.focus();
    } catch (err) {
      report(err);
    } finally {
      button.disabled = false;
    }
  });

  async function toggleFavorite(lib) {
    try {
      const updated = await post(`/api/focus/libraries/${lib.id}/favorite`);
      announce(updated.is_favorite ? `“${updated.name}” is a favorite.` : `“${updated.name}” is no longer a favorite.`);
      await loadLibraries();
      const btn = libList.querySelector(`li[data-id="${lib.id}"] .fav`);
      if (btn) btn.focus();
    } catch (err) { report(err); }
  }

  async function removeLibrary(lib) {
    const n = lib.tracks_count ?? 0;
    const question = n
      ? `Delete the library “${lib.name}” and its ${plural(n, 'track', 'tracks')}?`
      : `Delete the library “${lib.name}”?`;
    if (!window.confirm(question)) return;
    try {
      await del(`/api/focus/libraries/${lib.id}`);
      if (lib.id === selectedId) {
        if (tracks.some((t) => t.id === playingId)) stopPlayer();
        selectedId = null;
      }
      await loadLibraries();
      announce(`Library “${lib.name}” deleted.`);
      libName.focus();
    } catch (err) { report(err); }
  }

  upForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (uploading) return;
    const lib = selected();
    const file = fileInput.files && fileInput.files[0];
    if (!lib) { announce('Create or choose a library first.', true); return; }
    if (!file) { announce('Choose an audio file to upload.', true); fileInput.focus(); return; }
    const type = contentTypeOf(file);
    if (!type) {
      announce('That is not an audio file: choose MP3, WAV, OGG, FLAC, AAC or M4A.', true);
      fileInput.focus();
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      announce('That file is larger than 50 MB.', true);
      return;
    }
    const title = titleInput.value.trim() || titleFromName(file.name);
    uploading = true;
    upButton.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    upStatus.textContent = `Uploading “${title}”… 0%`;
    try {
      const seconds = await readDuration(file);
      let url = `/api/focus/libraries/${lib.id}/tracks/upload?track_title=${encodeURIComponent(title)}`;
      if (seconds !== null) url += `&duration_seconds=${seconds}`;
      const track = await upload(url, file, type, (fraction) => {
        if (fraction === null) { progress.removeAttribute('value'); return; }
        progress.value = Math.round(fraction * 100);
        upStatus.textContent = `Uploading “${title}”… ${Math.round(fraction * 100)}%`;
      });
      upStatus.textContent = `Uploaded “${track.track_title}”.`;
      upForm.reset();
      progress.hidden = true;   // ready for the next upload
      progress.value = 0;
      await loadLibraries();
    } catch (err) {
      upStatus.textContent = '';
      progress.hidden = true;
      progress.value = 0;
      announce(`Upload failed: ${err.message}`, true);
    } finally {
      uploading = false;
      upButton.disabled = false;
    }
  });

  async function play(id) {
    try {
      if (Date.now() - tracksAt > LINK_MAX_AGE_MS) await loadTracks();
      const t = tracks.find((x) => x.id === id);
      if (!t) { announce('That track is gone.', true); return; }
      if (!t.download_url) { announce('That track has no download link.', true); return; }
      playingId = id;
      chosenId = id;
      errEl.textContent = '';
      player.hidden = false;
      player.src = t.download_url;
      nowPlaying.textContent = `Now playing: ${t.track_title}`;
      renderTracks();
      const btn = trackList.querySelector(`li[data-id="${id}"] button`);
      if (btn) btn.focus();
      player.play().catch((err) => {
        if (err && err.name === 'NotAllowedError') return; // the controls can start it
        if (err && err.name === 'AbortError') return;      // another track was chosen
        announce(`The track cannot be played: ${err && err.message ? err.message : 'unknown error'}`, true);
      });
    } catch (err) { report(err); }
  }

  function stopPlayer() {
    player.pause();
    player.removeAttribute('src');
    player.load();
    player.hidden = true;
    playingId = null;
    chosenId = null;
    nowPlaying.textContent = '';
  }

  // The timer's phase: the chosen track plays while a focus phase runs and
  // pauses when the timer pauses, stops, or a break begins.
  function phase(kind, mode) {
    const playing = kind === 'focus-running' && mode === 'focus';
    const was = phaseKind;
    phaseKind = playing ? 'focus-running' : kind;
    if (!chosenId || !player.getAttribute('src')) return;
    if (playing && was !== 'focus-running' && player.paused) {
      player.play().catch((err) => {
        if (err && err.name === 'NotAllowedError') {
          announce('Press play in the music panel: the browser did not let the page start the music.', true);
        }
      });
    } else if (!playing && was === 'focus-running' && !player.paused) {
      player.pause();   // only on leaving focus: music played by hand in a break stays
    }
  }

  // At a track's end: the next track of the library, round (one track loops).
  player.addEventListener('ended', () => {
    if (phaseKind !== 'focus-running' || !tracks.length) return;
    const i = tracks.findIndex((x) => x.id === playingId);
    const nextTrack = tracks[(i + 1) % tracks.length];
    if (nextTrack) play(nextTrack.id);
  });

  async function removeTrack(t) {
    if (!window.confirm(`Delete the track “${t.track_title}”?`)) return;
    try {
      await del(`/api/focus/libraries/${t.library_id || selectedId}/tracks/${t.id}`);
      if (t.id === playingId) stopPlayer();
      announce(`Track “${t.track_title}” deleted.`);
      await loadLibraries();
      fileInput.focus();
    } catch (err) { report(err); }
  }

  player.addEventListener('error', () => {
    if (!player.getAttribute('src')) return;
    announce('The track could not be loaded; its link may have expired. Press Play again.', true);
    tracksAt = 0;
  });

  return {
    refresh: () => loadLibraries().catch(report),
    stop: stopPlayer,
    phase,
  };
}
