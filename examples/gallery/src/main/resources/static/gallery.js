// The gallery page: uploads a file straight to the bucket with a grant, tells the server, follows
// the job through server-sent events and shows each item. Plain DOM, no framework.
"use strict";

const items = document.getElementById("items");
const status = document.getElementById("status");
const template = document.getElementById("item");
/** Every event the page received, for anyone watching (the browser test counts them). */
window.galleryEvents = [];

function say(text) {
  status.textContent = text;
}

async function json(response) {
  const body = await response.text();
  let value;
  try { value = JSON.parse(body); } catch (e) { value = { error: body }; }
  if (!response.ok) throw new Error(value.error || response.status + " " + body);
  return value;
}

/** Sends the file as the grant says (a form POST or a PUT), reporting the bytes sent. */
function send(grant, file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(grant.method, grant.url);
    xhr.upload.onprogress = e => { if (e.lengthComputable) progress(e.loaded, e.total); };
    xhr.onload = () => xhr.status >= 200 && xhr.status < 300
      ? resolve(xhr.responseText)
      : reject(new Error("the bucket refused the upload: " + xhr.status + " " + xhr.responseText));
    xhr.onerror = () => reject(new Error("the upload could not reach " + grant.url));
    if (grant.method === "PUT") {
      for (const [k, v] of Object.entries(grant.headers)) xhr.setRequestHeader(k, v);
      xhr.send(file);
      return;
    }
    const form = new FormData();
    // The grant names the file's exact type; the fields carry it where the vendor checks it.
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append(grant.fileField, file, file.name); // the file goes last
    xhr.send(form);
  });
}

async function upload(file) {
  if (!file.type.startsWith("video/") && !file.type.startsWith("image/")) {
    throw new Error("pick a video or an image");
  }
  say("asking for a grant");
  const started = await json(await fetch("api/uploads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: file.name, type: file.type, size: file.size }),
  }));
  const id = started.id;
  follow(id);
  await send(started.grant, file, (sent, total) =>
    say("uploading " + file.name + ": " + Math.round(100 * sent / total) + "%"));
  say("uploaded " + file.name + "; processing");
  show(await json(await fetch("api/items/" + id + "/uploaded", { method: "POST" })));
}

/** Follows an item's changes until it is ready or failed. */
function follow(id) {
  const events = new EventSource("api/items/" + id + "/events");
  events.addEventListener("item", e => {
    const item = JSON.parse(e.data);
    window.galleryEvents.push({ id: item.id, state: item.state, progress: item.progress });
    show(item);
    if (item.state === "READY" || item.state === "FAILED") {
      events.close();
      say(item.name + ": " + item.state.toLowerCase());
    }
  });
}

function card(id) {
  let article = document.getElementById("item-" + id);
  if (!article) {
    article = template.content.firstElementChild.cloneNode(true);
    article.id = "item-" + id;
    items.prepend(article);
  }
  return article;
}

/** Draws an item; every text goes in through textContent. */
function show(item) {
  const a = card(item.id);
  a.dataset.state = item.state;
  a.querySelector(".name").textContent = item.name;
  a.querySelector(".state").textContent = item.state.toLowerCase()
    + (item.progress >= 0 && item.state === "PROCESSING" ? " " + item.progress + "%" : "")
    + (item.message ? ": " + item.message : "");
  const bar = a.querySelector(".progress");
  if (item.progress >= 0) bar.value = item.progress; else bar.removeAttribute("value");
  bar.hidden = item.state === "READY" || item.state === "FAILED";
  a.querySelector(".ended").textContent = item.endedBy ? "Job " + item.jobId + " ended by " + item.endedBy : "";
  const thumb = a.querySelector(".thumb");
  if (item.thumbnailUrl && thumb.getAttribute("src") !== item.thumbnailUrl) {
    thumb.alt = "thumbnail of " + item.name;
    thumb.src = item.thumbnailUrl;
  }
  const player = a.querySelector(".player");
  if (item.videoUrl && !player.getAttribute("src")) {
    player.poster = item.posterUrl;
    player.src = item.videoUrl;
    player.hidden = false;
  }
  const download = a.querySelector(".download");
  if (item.downloadUrl) download.href = item.downloadUrl;
  download.hidden = !item.downloadUrl;
  const info = a.querySelector(".info");
  info.replaceChildren();
  for (const [k, v] of Object.entries(item.info || {})) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    info.append(dt, dd);
  }
  const log = a.querySelector(".log");
  log.replaceChildren(...item.log.map(line => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
}

document.getElementById("upload").addEventListener("submit", e => {
  e.preventDefault();
  const file = document.getElementById("file").files[0];
  if (!file) return;
  upload(file).catch(err => say("failed: " + err.message));
});

fetch("api/items").then(json).then(list => {
  for (const item of list.reverse()) {
    show(item);
    if (item.state === "PROCESSING") follow(item.id);
  }
}).catch(err => say("cannot list the gallery: " + err.message));
