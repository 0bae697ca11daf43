// Field work on a phone: forms that work without a connection.
//
// A filled form is first kept in the phone (IndexedDB, the "outbox"), with a key made here
// (a UUID). It is sent when there is a connection: at once, when the connection returns
// (the "online" event), and whenever a field page opens. The key makes a resend harmless: the
// server answers a second sending with the first submission (HTTP 200) instead of a copy.
// The service worker (/lapangan/sw.js) keeps the field pages and the static files, so that the
// forms open with no connection at all.
//
// No inline script: the page passes its settings in data-* attributes of
// [data-fieldwork-config]. Texts go through Django's JavaScript catalogue (/jsi18n/).
(function () {
  "use strict";

  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values, named) {
    return format.replace(/%\((\w+)\)s/g, function (_m, key) { return named ? values[key] : ""; });
  };
  var config = document.querySelector("[data-fieldwork-config]");
  if (!config) {
    return;
  }
  var USER = config.getAttribute("data-user");
  var DB_NAME = "welfare-fieldwork";
  var STORE = "outbox";
  var PAGE_CACHE = "fieldwork-pages";
  var SENT_KEEP_DAYS = 14;
  var MAX_PHOTO_SIDE = 1600;

  // --- IndexedDB ---------------------------------------------------------------------------
  var dbPromise = null;

  function openDb() {
    if (!window.indexedDB) {
      return Promise.reject(new Error("no IndexedDB"));
    }
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("user", "user");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          resolve(result && "result" in result ? result.result : undefined);
        };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function putEntry(entry) {
    return withStore("readwrite", function (store) { return store.put(entry); });
  }

  function getEntry(key) {
    return withStore("readonly", function (store) { return store.get(key); });
  }

  function deleteEntry(key) {
    return withStore("readwrite", function (store) { return store.delete(key); });
  }

  function myEntries() {
    return withStore("readonly", function (store) {
      return store.index("user").getAll(USER);
    }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; });
    });
  }

  // --- Small helpers -------------------------------------------------------------------------
  function uuid4() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); });
    return hex.slice(0, 4).join("") + "-" + hex.slice(4, 6).join("") + "-" + hex.slice(6, 8).join("") +
      "-" + hex.slice(8, 10).join("") + "-" + hex.slice(10).join("");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function pad(number) { return number < 10 ? "0" + number : String(number); }

  function localToday() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function formatWhen(iso) {
    try {
      return new Date(iso).toLocaleString(document.documentElement.lang || "id", {
        day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
      });
    } catch (e) {
      return iso;
    }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  // --- Photos: made smaller on the phone before they are kept and sent ----------------------
  function shrinkPhoto(file) {
    if (!file.type || file.type.indexOf("image/") !== 0 || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1024 * 1024) {
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () {
      return file; // not an image the phone can read: the server says what is wrong
    });
  }

  // --- Capturing a form ----------------------------------------------------------------------
  function captureForm(form) {
    var fields = [];
    var arrays = [];
    var files = [];
    var pending = [];
    Array.prototype.forEach.call(form.elements, function (input) {
      var name = input.name;
      if (!name || input.disabled || name === "csrfmiddlewaretoken" || input.type === "submit" ||
          input.type === "button") {
        return;
      }
      if (input.type === "file") {
        Array.prototype.forEach.call(input.files || [], function (file) {
          pending.push(shrinkPhoto(file).then(function (small) {
            files.push({ field: name, name: small.name || file.name, type: small.type, blob: small });
          }));
        });
        return;
      }
      if (input.type === "checkbox" && form.querySelectorAll("input[type=checkbox][name='" + name + "']").length > 1) {
        if (arrays.indexOf(name) < 0) { arrays.push(name); }
      }
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) {
        return;
      }
      if (input.type === "select-multiple") {
        if (arrays.indexOf(name) < 0) { arrays.push(name); }
        Array.prototype.forEach.call(input.selectedOptions, function (option) {
          fields.push([name, option.value]);
        });
        return;
      }
      fields.push([name, input.type === "checkbox" ? "true" : input.value]);
    });
    return Promise.all(pending).then(function () {
      var keyInput = form.querySelector("input[name=client_key]");
      var key = keyInput && keyInput.value ? keyInput.value : uuid4();
      return {
        key: key,
        user: USER,
        mode: form.getAttribute("data-mode") || "submission",
        kind: form.getAttribute("data-kind") || "",
        title: form.getAttribute("data-title") || document.title,
        endpoint: form.getAttribute("data-endpoint"),
        pageUrl: location.pathname,
        fields: fields.filter(function (pair) { return pair[0] !== "client_key" && pair[0] !== "client_created_at"; }),
        arrays: arrays,
        files: files,
        createdAt: new Date().toISOString(),
        status: "waiting",
        errors: null,
        detail: ""
      };
    });
  }

  function payloadOf(entry) {
    var payload = {};
    entry.arrays.forEach(function (name) { payload[name] = []; });
    entry.fields.forEach(function (pair) {
      if (entry.arrays.indexOf(pair[0]) >= 0) {
        payload[pair[0]].push(pair[1]);
      } else {
        payload[pair[0]] = pair[1];
      }
    });
    return payload;
  }

  // --- Sending -------------------------------------------------------------------------------
  // Resolves to "sent", "refused" (the server said what is wrong), "offline" or "login".
  function send(entry) {
    var body = new FormData();
    body.append("client_key", entry.key);
    if (entry.mode === "flat") {
      entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    } else {
      if (entry.mode === "submission") {
        body.append("kind", entry.kind);
        body.append("client_created_at", entry.createdAt);
      }
      body.append("payload", JSON.stringify(payloadOf(entry)));
    }
    entry.files.forEach(function (file) { body.append(file.field, file.blob, file.name); });
    entry.status = "sending";
    return fetch(entry.endpoint, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 200 || response.status === 201) {
          entry.status = "sent";
          entry.sentAt = new Date().toISOString();
          entry.errors = null;
          entry.detail = "";
          entry.files = [];
          entry.result = {
            id: data.id,
            url: data.page_url || null,
            status: data.status_label || "",
            summary: data.summary || ""
          };
          return "sent";
        }
        if (response.status === 401 || (response.status === 403 && /CSRF/.test(data.detail || ""))) {
          entry.status = "waiting";
          entry.detail = gettext("Log in again to send it.");
          return "login";
        }
        if (response.status >= 500) {
          entry.status = "waiting";
          return "offline";
        }
        entry.status = "refused";
        entry.errors = data.errors || null;
        entry.detail = data.detail || gettext("The server refused the form.");
        return "refused";
      });
    }).catch(function () {
      entry.status = "waiting";
      return "offline";
    }).then(function (outcome) {
      return putEntry(entry).then(function () { return outcome; });
    });
  }

  var syncing = false;
  var syncAgain = false;

  function syncAll() {
    if (!navigator.onLine) {
      return Promise.resolve();
    }
    if (syncing) {
      syncAgain = true; // e.g. the connection returned while a sending attempt was failing
      return Promise.resolve();
    }
    syncing = true;
    syncAgain = false;
    var run = function () {
      return myEntries().then(function (entries) {
        var waiting = entries.filter(function (e) { return e.status === "waiting" || e.status === "sending"; });
        return waiting.reduce(function (chain, entry) {
          return chain.then(function (stop) {
            if (stop) { return true; }
            return send(entry).then(function (outcome) {
              renderOutbox();
              return outcome === "offline" || outcome === "login";
            });
          });
        }, Promise.resolve(false));
      });
    };
    var locked = navigator.locks ? navigator.locks.request("fieldwork-outbox", run) : run();
    return locked.catch(function () {}).then(function () {
      syncing = false;
      return pruneSent();
    }).then(renderOutbox).then(function () {
      if (syncAgain) {
        return syncAll();
      }
    });
  }

  function pruneSent() {
    var limit = Date.now() - SENT_KEEP_DAYS * 86400000;
    return myEntries().then(function (entries) {
      return Promise.all(entries.filter(function (e) {
        return e.status === "sent" && new Date(e.sentAt).getTime() < limit;
      }).map(function (e) { return deleteEntry(e.key); }));
    });
  }

  // --- What the TKSK sees ---------------------------------------------------------------------
  var STATUS = {
    waiting: ["bg-warning text-dark", gettext("Waiting to be sent")],
    sending: ["bg-warning text-dark", gettext("Waiting to be sent")],
    refused: ["bg-danger", gettext("Needs correction")],
    sent: ["bg-success", gettext("Sent")]
  };

  function renderOutbox() {
    return myEntries().then(function (entries) {
      var open = entries.filter(function (e) { return e.status !== "sent"; });
      document.querySelectorAll("[data-outbox-count]").forEach(function (node) {
        node.textContent = String(open.length);
        if (node.hasAttribute("data-show-zero")) {
          node.classList.toggle("bg-warning", open.length > 0);
          node.classList.toggle("text-dark", open.length > 0);
          node.classList.toggle("bg-secondary", open.length === 0);
        } else {
          node.classList.toggle("d-none", open.length === 0);
        }
      });
      document.querySelectorAll("[data-outbox]").forEach(function (box) {
        box.textContent = "";
        if (!entries.length) {
          box.appendChild(el("p", { class: "text-muted mb-0", text: gettext("Nothing is waiting on this phone.") }));
          return;
        }
        var list = el("ul", { class: "list-group" });
        entries.slice().reverse().forEach(function (entry) { list.appendChild(outboxItem(entry)); });
        box.appendChild(list);
      });
    }).catch(function () {});
  }

  function outboxItem(entry) {
    var status = STATUS[entry.status] || STATUS.waiting;
    var item = el("li", { class: "list-group-item", "data-outbox-item": entry.key, "data-status": entry.status });
    var head = el("div", { class: "d-flex justify-content-between align-items-start gap-2" }, [
      el("div", {}, [
        el("div", { class: "fw-semibold", text: entry.title }),
        el("div", { class: "small text-muted", text: interpolate(gettext("Filled in %(when)s"), { when: formatWhen(entry.createdAt) }, true) })
      ]),
      el("span", { class: "badge " + status[0], text: status[1] })
    ]);
    item.appendChild(head);
    if (entry.detail) {
      item.appendChild(el("div", { class: "small mt-1 " + (entry.status === "refused" ? "text-danger" : "text-muted"), text: entry.detail }));
    }
    if (entry.errors) {
      var errors = el("ul", { class: "small text-danger mb-1" });
      Object.keys(entry.errors).forEach(function (name) {
        [].concat(entry.errors[name]).forEach(function (message) { errors.appendChild(el("li", { text: message })); });
      });
      item.appendChild(errors);
    }
    var actions = el("div", { class: "d-flex flex-wrap gap-2 mt-2" });
    if (entry.status === "sent" && entry.result && entry.result.url) {
      actions.appendChild(el("a", { class: "btn btn-sm btn-outline-success", href: entry.result.url, text: gettext("Open what was sent") }));
    }
    if (entry.status === "refused") {
      actions.appendChild(el("a", { class: "btn btn-sm btn-primary", href: entry.pageUrl + "#outbox=" + entry.key, text: gettext("Open and correct") }));
    }
    if (entry.status !== "sent") {
      var remove = el("button", { type: "button", class: "btn btn-sm btn-outline-danger", "data-outbox-delete": entry.key, text: gettext("Delete from this phone") });
      actions.appendChild(remove);
    }
    if (actions.childNodes.length) {
      item.appendChild(actions);
    }
    return item;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-outbox-delete]");
    if (!button) { return; }
    if (!window.confirm(gettext("Delete this form from the phone? What you typed will be lost."))) { return; }
    deleteEntry(button.getAttribute("data-outbox-delete")).then(renderOutbox);
  });

  function showConnection() {
    document.querySelectorAll("[data-connection]").forEach(function (node) {
      node.classList.toggle("d-none", navigator.onLine);
    });
  }

  // --- Forms ---------------------------------------------------------------------------------
  function setFormStatus(form, kind, text) {
    var box = form.querySelector("[data-form-status]");
    if (!box) { return; }
    box.className = "alert alert-" + kind;
    box.textContent = text;
    box.classList.remove("d-none");
  }

  function clearErrors(form) {
    form.querySelectorAll(".js-error").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
  }

  function showErrors(form, errors) {
    clearErrors(form);
    var general = [];
    Object.keys(errors || {}).forEach(function (name) {
      var messages = [].concat(errors[name]);
      var inputs = form.querySelectorAll("[name='" + name + "']");
      if (!inputs.length || name === "non_field_errors") {
        general = general.concat(messages);
        return;
      }
      var last = inputs[inputs.length - 1];
      inputs.forEach(function (input) { input.classList.add("is-invalid"); });
      var anchor = last.closest(".mb-3") || last.parentNode;
      messages.forEach(function (message) {
        anchor.appendChild(el("div", { class: "invalid-feedback d-block js-error", text: message }));
      });
    });
    if (general.length) {
      var box = el("div", { class: "alert alert-danger js-error", role: "alert" });
      general.forEach(function (message) { box.appendChild(el("div", { text: message })); });
      form.insertBefore(box, form.firstChild);
    }
    var first = form.querySelector(".is-invalid, .js-error");
    if (first && first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
  }

  function fillForm(form, entry) {
    var values = {};
    entry.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (input) {
      var name = input.name;
      if (!name || name === "csrfmiddlewaretoken" || input.type === "file") { return; }
      var given = values[name] || [];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = given.indexOf(input.value) >= 0 || (input.type === "checkbox" && given.indexOf("true") >= 0 && input.value === "on");
      } else if (input.type === "select-multiple") {
        Array.prototype.forEach.call(input.options, function (option) { option.selected = given.indexOf(option.value) >= 0; });
      } else if (name !== "client_key" && given.length) {
        input.value = given[0];
      }
    });
    var key = form.querySelector("input[name=client_key]");
    if (key) { key.value = entry.key; }
    if (window.DataTransfer) {
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        var transfer = new DataTransfer();
        entry.files.filter(function (f) { return f.field === input.name; }).forEach(function (f) {
          transfer.items.add(new File([f.blob], f.name, { type: f.type }));
        });
        if (transfer.files.length) { input.files = transfer.files; }
      });
    }
    if (entry.errors) { showErrors(form, entry.errors); }
  }

  function prepareForm(form) {
    var key = form.querySelector("input[name=client_key]");
    if (key && form.hasAttribute("data-fresh")) {
      key.value = uuid4(); // a new key each time the (possibly kept) page opens
    }
    var today = localToday();
    form.querySelectorAll("[data-max-today]").forEach(function (input) { input.max = today; });
    form.querySelectorAll("[data-max-month]").forEach(function (input) { input.max = today.slice(0, 7); });
    var match = location.hash.match(/^#outbox=([\w-]+)$/);
    if (match) {
      getEntry(match[1]).then(function (entry) {
        if (entry && entry.user === USER) {
          fillForm(form, entry);
          setFormStatus(form, "warning", entry.detail || gettext("Correct the form and send it again."));
        }
      });
    }
    form.addEventListener("submit", function (event) {
      if (!window.indexedDB || !window.Promise || !window.fetch) {
        return; // an old browser: the page sends the form the ordinary way
      }
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      clearErrors(form);
      setFormStatus(form, "info", gettext("Saving on this phone…"));
      captureForm(form).then(function (entry) {
        return putEntry(entry).then(function () {
          if (!navigator.onLine) { return "offline"; }
          setFormStatus(form, "info", gettext("Sending…"));
          return send(entry);
        }).then(function (outcome) {
          if (button) { button.disabled = false; }
          renderOutbox();
          if (outcome === "sent") {
            setFormStatus(form, "success", gettext("Sent. The office will review it."));
            if (entry.result && entry.result.url) {
              location.assign(entry.result.url);
            } else if (form.getAttribute("data-done")) {
              location.assign(form.getAttribute("data-done"));
            }
          } else if (outcome === "refused") {
            setFormStatus(form, "danger", entry.detail);
            showErrors(form, entry.errors || {});
          } else if (outcome === "login") {
            setFormStatus(form, "warning", gettext("Saved on this phone. Log in again to send it."));
          } else {
            setFormStatus(form, "warning", gettext("No connection: the form is saved on this phone and will be sent when the connection returns."));
            form.reset();
            if (key) { key.value = uuid4(); }
            form.querySelectorAll("[data-max-today]").forEach(function (input) { input.max = today; });
          }
        });
      }).catch(function () {
        if (button) { button.disabled = false; }
        setFormStatus(form, "danger", gettext("The form could not be saved on this phone. Send it now while connected, or free some space."));
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-geolocate]");
    if (!button || !navigator.geolocation) { return; }
    var form = button.form || document;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = form.querySelector("[data-geo=latitude]");
      var lon = form.querySelector("[data-geo=longitude]");
      if (lat) { lat.value = position.coords.latitude.toFixed(6); }
      if (lon) { lon.value = position.coords.longitude.toFixed(6); }
      button.disabled = false;
    }, function () {
      button.disabled = false;
      window.alert(gettext("The location could not be read. Allow the location, or type it in."));
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // --- Pages kept for use without a connection ------------------------------------------------
  function keepPages() {
    if (!window.caches || !navigator.onLine) {
      return Promise.resolve();
    }
    var urls = JSON.parse(config.getAttribute("data-offline-urls") || "[]");
    var previous = null;
    try {
      previous = localStorage.getItem("fieldwork-user");
      localStorage.setItem("fieldwork-user", USER);
    } catch (e) { /* private mode */ }
    var reset = previous && previous !== USER ? caches.delete(PAGE_CACHE) : Promise.resolve();
    return reset.then(function () { return caches.open(PAGE_CACHE); }).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected && response.headers.get("X-Fieldwork-Offline")) {
            return cache.put(url, response);
          }
        }).catch(function () {});
      }));
    });
  }

  function registerWorker() {
    var url = config.getAttribute("data-sw");
    if (!url || !("serviceWorker" in navigator)) {
      return Promise.resolve();
    }
    return navigator.serviceWorker.register(url, { scope: config.getAttribute("data-sw-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        // A field page opened while the worker was being installed is not controlled yet:
        // ask the worker to take it over, so that it is kept like the others.
        if (navigator.serviceWorker.controller ||
            location.pathname.indexOf(config.getAttribute("data-sw-scope")) !== 0) {
          return undefined;
        }
        return new Promise(function (resolve) {
          navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
          registration.active.postMessage({ type: "claim" });
          setTimeout(resolve, 5000);
        });
      })
      .catch(function () {});
  }

  // --- Start ---------------------------------------------------------------------------------
  document.querySelectorAll("form[data-offline-form]").forEach(prepareForm);
  showConnection();
  window.addEventListener("online", function () { showConnection(); syncAll(); });
  window.addEventListener("offline", showConnection);
  renderOutbox();
  window.fieldworkReady = registerWorker().then(keepPages).then(syncAll).then(function () {
    document.documentElement.setAttribute("data-fieldwork-ready", "1");
  });
  setInterval(function () {
    if (navigator.onLine) { syncAll(); }
  }, 60000);
})();
