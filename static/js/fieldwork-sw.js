// The service worker of the field pages. Served by Django at /lapangan/sw.js (so that its
// scope is /lapangan/), which puts self.FIELDWORK_SW = {version, precache, scope, ...} first.
//
// * Static files and the JavaScript catalogue: kept at install, served from the phone and
//   refreshed in the background (stale-while-revalidate).
// * Field pages (/lapangan/...): always asked from the server first; a page the server marks
//   with the X-Fieldwork-Offline header is kept, and served from the phone when there is no
//   connection.
// * The API and every other request: untouched (forms are sent by the page's outbox).
/* global self, caches, fetch, Response, URL */
"use strict";

var CONFIG = self.FIELDWORK_SW || { version: "0", precache: [], scope: "/lapangan/" };
var STATIC_CACHE = "fieldwork-static-" + CONFIG.version;
var PAGE_CACHE = "fieldwork-pages";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      return cache.addAll(CONFIG.precache);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("fieldwork-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

// A page opened while the worker was being installed asks to be taken over.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "claim") {
    event.waitUntil(self.clients.claim());
  }
});

function isStatic(url) {
  return url.pathname.indexOf("/static/") === 0 || CONFIG.precache.indexOf(url.pathname) >= 0;
}

function fromStatic(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
      if (kept) {
        fresh.catch(function () {});
        return kept;
      }
      return fresh;
    });
  });
}

function offlineResponse() {
  var text = CONFIG.offlineText || "Offline";
  var body = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>" + text + "</title><p>" + text + "</p>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// Keep a field page. When a page comes for another user (or is no longer one to keep, e.g. an
// office account on the same browser), every kept page goes: nobody sees another's pages.
function keep(request, response) {
  var copy = response.clone();
  var user = response.headers.get(CONFIG.userHeader);
  var keepIt = Boolean(response.headers.get(CONFIG.offlineHeader));
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (kept) {
      if (kept && kept.headers.get(CONFIG.userHeader) !== user) {
        return caches.delete(PAGE_CACHE).then(function () { return caches.open(PAGE_CACHE); });
      }
      return cache;
    });
  }).then(function (cache) {
    return keepIt ? cache.put(request.url, copy) : undefined;
  });
}

function fromPage(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      keep(request, response).catch(function () {});
    }
    return response;
  }).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(request.url, { ignoreVary: true }).then(function (kept) {
        return kept || cache.match(CONFIG.offlinePage, { ignoreVary: true });
      });
    }).then(function (kept) {
      return kept || offlineResponse();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf(CONFIG.scope) === 0) {
      event.respondWith(fromPage(request));
    }
    return;
  }
  if (isStatic(url)) {
    event.respondWith(fromStatic(request));
  }
});
