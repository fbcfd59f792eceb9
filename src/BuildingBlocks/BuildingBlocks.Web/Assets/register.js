// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

// A provider search that accessible-autocomplete enhances (<div data-module="app-provider-autocomplete">): without
// JavaScript it is a text box whose matches the next page lists; with it, suggestions come from data-source as you
// type and the chosen provider's id goes in the hidden input named by data-target.
const autocompletes = document.querySelectorAll('[data-module="app-provider-autocomplete"]')
if (autocompletes.length > 0) {
  const script = document.createElement('script')
  script.src = '/assets/accessible-autocomplete.min.js'
  script.onload = () => autocompletes.forEach(enhance)
  document.head.appendChild(script)
}

function enhance (container) {
  const input = container.querySelector('input[type="text"]')
  const target = document.getElementById(container.dataset.target)
  if (!input || !target || !window.accessibleAutocomplete) return
  const wrapper = document.createElement('div')
  input.insertAdjacentElement('afterend', wrapper)
  const describedBy = input.getAttribute('aria-describedby')
  const name = input.name
  const id = input.id
  const defaultValue = input.value
  input.remove()
  let results = []
  window.accessibleAutocomplete({
    element: wrapper,
    id,
    name,
    defaultValue,
    minLength: 2,
    showNoOptionsFound: true,
    tNoResults: () => 'No providers found',
    source: (query, populate) => {
      fetch(container.dataset.source + '?q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(response => response.ok ? response.json() : [])
        .then(found => { results = found; populate(found) })
        .catch(() => populate([]))
    },
    templates: {
      inputValue: result => result ? result.name : '',
      suggestion: result => typeof result === 'string' ? result : escape(result.name) + '<br><span class="govuk-hint govuk-!-font-size-16">' + escape(result.hint) + '</span>'
    },
    onConfirm: result => { target.value = result ? result.id : '' }
  })
  const enhanced = document.getElementById(id)
  if (enhanced && describedBy) enhanced.setAttribute('aria-describedby', describedBy)
  if (enhanced) enhanced.addEventListener('input', () => { target.value = '' })
  void results
}

function escape (text) {
  const div = document.createElement('div')
  div.textContent = text
  return div.innerHTML
}
