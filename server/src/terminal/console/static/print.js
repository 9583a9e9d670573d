// "Print with record" (A8.3, terminal.hardcopy = print-with-record): the record prints only after the
// store has recorded the print as an act (POST /api/print answers with its log position). Until then,
// and for Ctrl+P without this button, the stylesheet prints no personal data.
(function () {
  'use strict'
  var button = document.getElementById('print-record')
  if (button === null) return
  window.addEventListener('afterprint', function () { document.body.classList.remove('printable') })
  button.addEventListener('click', function () {
    button.disabled = true
    fetch('/api/print', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: button.getAttribute('data-purpose'), ref: button.getAttribute('data-ref') })
    }).then(function (res) {
      return res.json().then(function (body) {
        button.disabled = false
        if (!res.ok || typeof body.logPosition !== 'number') {
          button.setAttribute('data-refused', String(body.code || res.status))
          return
        }
        button.setAttribute('data-log-position', String(body.logPosition))
        document.body.classList.add('printable')
        window.print()
      })
    }, function () { button.disabled = false })
  })
})()
