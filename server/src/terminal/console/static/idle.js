// The idle lock (SPEC §6, A8.1): after the session's idle time without keyboard or pointer input,
// remove every personal item from the page and ask the server to lock the session. The store locks
// an idle session on its own clock too; this only makes the screen follow at once.
(function () {
  'use strict'
  var seconds = Number(document.body.getAttribute('data-idle') || 0)
  if (!(seconds > 0)) return
  var timer = 0
  function lock () {
    var main = document.getElementById('main')
    if (main !== null) main.parentNode.removeChild(main)
    var form = document.getElementById('idle-lock')
    if (form !== null) form.submit()
  }
  function reset () {
    window.clearTimeout(timer)
    timer = window.setTimeout(lock, seconds * 1000)
  }
  ['keydown', 'mousedown', 'touchstart', 'wheel'].forEach(function (name) {
    document.addEventListener(name, reset, { passive: true })
  })
  reset()
})()
