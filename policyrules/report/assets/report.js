// The HTML report's script: renders the page from the JSON payload in #report-data, a
// page of rows at a time, so that a city's report stays a small DOM. Every text is set with
// textContent (nothing from the data is ever parsed as HTML). The orders are those of
// policyrules/report/attention.py: more overdue first, then more at risk, then the id.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var W = D.words, T = D.texts, STATUSES = D.statuses;
  // positions in a result row (policyrules/report/page.py)
  var UNIT = 0, OB = 1, PERSON = 2, LABEL = 3, START = 4, DUE = 5, STATUS = 6, REQ = 7,
    ACT = 8, EVIDENCE = 9, REASON = 10, PLAIN = 11, SLACK = 12, PER_EVENT = 13;
  var OVERDUE = STATUSES.indexOf('overdue'), AT_RISK = STATUSES.indexOf('at_risk');
  var PAGE = {cards: 25, units: 50, results: 100, grid: 50, chips: 12, named: 12};
  var state = {status: '', unit: '', obligation: '', q: ''};
  var shown = {cards: PAGE.cards, units: PAGE.units, resultsPage: 0};
  var gridPages = {};

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === 'text') { node.textContent = value; }
        else if (key === 'cls') { node.className = value; }
        else if (key === 'style') { node.setAttribute('style', value); }
        else if (key.slice(0, 2) === 'on') { node.addEventListener(key.slice(2), value); }
        else { node.setAttribute(key, value); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  function text(i) { return i < 0 ? '' : T[i]; }
  function number(value) {
    if (value === null || value === undefined) { return '-'; }
    if (Number.isInteger(value)) { return String(value); }
    return String(Number(value.toPrecision(3)));
  }
  function unitText(u) {
    var id = D.units[u][0], name = D.units[u][1];
    return name && name !== id ? fill(W.unitName, {name: name, unit: id}) : id;
  }
  function badge(status) {
    return el('span', {cls: 'status s-' + STATUSES[status], 'data-status': STATUSES[status],
      text: D.statusNames[STATUSES[status]]});
  }
  function colour(status) { return 'var(--' + STATUSES[status] + ')'; }
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function byKeys(keys) {
    return function (a, b) {
      var x = keys(a), y = keys(b);
      for (var i = 0; i < x.length; i++) { var c = compare(x[i], y[i]); if (c) { return c; } }
      return 0;
    };
  }

  // --------------------------------------------------------------- filters
  var unitIndex = {};
  D.units.forEach(function (row, i) {
    unitIndex[row[0]] = i;
    if (row[1] && !(row[1] in unitIndex)) { unitIndex[row[1]] = i; }
  });
  function wantedUnit() {
    if (!state.unit) { return -1; }
    return Object.prototype.hasOwnProperty.call(unitIndex, state.unit) ? unitIndex[state.unit]
      : -2;
  }
  function obligationIndex(name) {
    for (var i = 0; i < D.obligations.length; i++) {
      if (D.obligations[i][0] === name) { return i; }
    }
    return -2;
  }
  function matches(r, unit, ob, status, q) {
    if (unit !== -1 && r[UNIT] !== unit) { return false; }
    if (ob !== -1 && r[OB] !== ob) { return false; }
    if (status !== -1 && r[STATUS] !== status) { return false; }
    if (q) {
      var hay = (unitText(r[UNIT]) + ' ' + D.obligations[r[OB]][0] + ' ' +
        D.obligations[r[OB]][1] + ' ' + text(r[LABEL]) + ' ' + text(r[PLAIN]) + ' ' +
        text(r[REASON]) + ' ' + text(r[PERSON])).toLowerCase();
      if (hay.indexOf(q) < 0) { return false; }
    }
    return true;
  }
  // the results every section shows; `withStatus` false: all but the status filter (the
  // overview's boxes count those)
  function selected(withStatus) {
    var unit = wantedUnit(), ob = state.obligation ? obligationIndex(state.obligation) : -1;
    var status = withStatus && state.status ? STATUSES.indexOf(state.status) : -1;
    var q = state.q.toLowerCase(), out = [];
    if (unit === -2 || ob === -2) { return out; }
    for (var i = 0; i < D.results.length; i++) {
      if (matches(D.results[i], unit, ob, status, q)) { out.push(i); }
    }
    return out;
  }

  // --------------------------------------------------------------- attention
  function dueKey(r) { return r[DUE] < 0 ? '\uffff' : T[r[DUE]]; }
  function groupByUnit(indexes) {
    var units = {}, order = [], obOrder = {}, obCount = 0;
    indexes.forEach(function (i) {
      var r = D.results[i];
      if (r[STATUS] !== OVERDUE && r[STATUS] !== AT_RISK) { return; }
      if (!(r[OB] in obOrder)) { obOrder[r[OB]] = obCount++; }
      var unit = units[r[UNIT]];
      if (!unit) { unit = units[r[UNIT]] = {unit: r[UNIT], items: {}, list: []}; order.push(unit); }
      var item = unit.items[r[OB]];
      if (!item) { item = unit.items[r[OB]] = {ob: r[OB], results: []}; unit.list.push(item); }
      item.results.push(i);
    });
    order.forEach(function (unit) {
      unit.overdue = 0; unit.atRisk = 0;
      unit.list.forEach(function (item) {
        item.results.sort(byKeys(function (i) {
          var r = D.results[i]; return [dueKey(r), T[r[START]], text(r[PERSON])];
        }));
        item.overdue = item.results.filter(function (i) {
          return D.results[i][STATUS] === OVERDUE; }).length;
        item.atRisk = item.results.length - item.overdue;
        item.firstDue = item.results.map(function (i) { return dueKey(D.results[i]); })
          .sort()[0];
        unit.overdue += item.overdue; unit.atRisk += item.atRisk;
      });
      unit.list.sort(byKeys(function (item) {
        return [-item.overdue, -item.atRisk, item.firstDue, obOrder[item.ob]];
      }));
    });
    order.sort(byKeys(function (u) { return [-u.overdue, -u.atRisk, D.units[u.unit][0]]; }));
    return order;
  }
  function groupByObligation(units) {
    var obs = {}, list = [], first = {};
    // the obligations' order of first appearance among the results that need action
    units.forEach(function (u) { u.list.forEach(function (item) {
      item.results.forEach(function (i) { if (!(item.ob in first) || i < first[item.ob]) {
        first[item.ob] = i; } });
    }); });
    units.forEach(function (u) {
      u.list.forEach(function (item) {
        var ob = obs[item.ob];
        if (!ob) { ob = obs[item.ob] = {ob: item.ob, units: []}; list.push(ob); }
        ob.units.push({unit: u.unit, overdue: item.overdue, atRisk: item.atRisk});
      });
    });
    list.forEach(function (ob) {
      ob.units.sort(byKeys(function (x) { return [-x.overdue, -x.atRisk, D.units[x.unit][0]]; }));
      ob.overdue = ob.units.filter(function (x) { return x.overdue; }).length;
      ob.atRisk = ob.units.filter(function (x) { return !x.overdue && x.atRisk; }).length;
    });
    list.sort(byKeys(function (ob) { return [-ob.overdue, -ob.atRisk, first[ob.ob]]; }));
    return list;
  }
  function counts(overdue, atRisk) {
    var out = el('span', {cls: 'counts'});
    if (overdue) { out.appendChild(el('span', {cls: 'status s-overdue',
      text: fill(W.overdueCount, {count: overdue})})); out.appendChild(document.createTextNode(' ')); }
    if (atRisk) { out.appendChild(el('span', {cls: 'status s-at_risk',
      text: fill(W.atRiskCount, {count: atRisk})})); }
    return out;
  }
  function chip(i) {
    var r = D.results[i];
    var label = text(r[LABEL]) + (r[PERSON] >= 0 ? ' · ' + text(r[PERSON]) : '');
    return el('span', {cls: 'chip', style: 'background:' + colour(r[STATUS]), 'data-result': i,
      title: D.statusNames[STATUSES[r[STATUS]]] + ' · ' + W.due + ' ' + text(r[DUE]),
      text: label});
  }
  function chips(item) {
    var box = el('div', {cls: item.results.length > 1 ? 'chips' : 'chips single'});
    var limit = Math.min(item.results.length, PAGE.chips);
    for (var k = 0; k < limit; k++) { box.appendChild(chip(item.results[k])); }
    if (item.results.length > limit) {
      var rest = item.results.length - limit;
      box.appendChild(el('button', {cls: 'chip more', text: fill(W.morePeriods, {count: rest}),
        onclick: function (event) {
          event.target.remove();
          item.results.slice(limit).forEach(function (i) { box.appendChild(chip(i)); });
        }}));
    }
    return box;
  }
  function card(unit) {
    var list = el('ul');
    unit.list.forEach(function (item) {
      var ob = D.obligations[item.ob];
      var overdue = item.results.filter(function (i) { return D.results[i][STATUS] === OVERDUE; });
      var said = D.results[overdue.length ? overdue[overdue.length - 1]
        : item.results[item.results.length - 1]];
      list.appendChild(el('li', {cls: 'behind', 'data-obligation': ob[0],
        'data-count': item.results.length},
        el('div', {cls: 'what'}, el('b', {text: ob[0]}), el('span', {cls: 'small', text: ob[2]}),
          item.results.length > 1 ? counts(item.overdue, item.atRisk) : badge(said[STATUS]),
          el('span', {cls: 'small', text: W.due + ' ' + text(said[DUE])})),
        el('div', {cls: 'plain', text: text(said[PLAIN])}),
        chips(item)));
    });
    return el('article', {cls: 'card' + (unit.overdue ? '' : ' only-risk'),
      'data-unit': D.units[unit.unit][0]},
      el('h3', null, el('span', {text: D.units[unit.unit][1] || D.units[unit.unit][0]}),
        el('span', {cls: 'id', text: D.units[unit.unit][0]}), counts(unit.overdue, unit.atRisk)),
      list);
  }
  function moreButton(left, onclick) {
    return el('button', {cls: 'more-rows', text: fill(W.more, {count: left}), onclick: onclick});
  }
  function renderAttention(indexes) {
    var units = groupByUnit(indexes), byOb = groupByObligation(units);
    var byUnit = document.getElementById('attention-units');
    var byObligation = document.getElementById('attention-obligations');
    byUnit.textContent = ''; byObligation.textContent = '';
    if (!units.length) {
      byUnit.appendChild(el('p', {cls: 'none', text: W.attentionNone}));
      return;
    }
    byUnit.appendChild(el('h3', {cls: 'panel-title', text: W.byUnit}));
    units.slice(0, shown.cards).forEach(function (u) { byUnit.appendChild(card(u)); });
    if (units.length > shown.cards) {
      byUnit.appendChild(moreButton(Math.min(PAGE.cards, units.length - shown.cards), function () {
        shown.cards += PAGE.cards; render();
      }));
    }
    byObligation.appendChild(el('h3', {cls: 'panel-title', text: W.byObligation}));
    var table = el('table', null, el('thead', null, el('tr', null,
      el('th', {text: W.obligation}), el('th', {text: W.refs}),
      el('th', {cls: 'n', text: W.unitsOverdue}), el('th', {cls: 'n', text: W.unitsAtRisk}),
      el('th', {text: W.units}))));
    var body = el('tbody');
    byOb.forEach(function (ob) {
      var names = el('span');
      ob.units.slice(0, PAGE.named).forEach(function (x, k) {
        if (k) { names.appendChild(document.createTextNode(D.lang === 'zh' ? '、' : ', ')); }
        names.appendChild(el('button', {cls: 'link', text: unitText(x.unit),
          onclick: function () { setFilter('unit', D.units[x.unit][0]); }}));
      });
      if (ob.units.length > PAGE.named) {
        names.appendChild(document.createTextNode(' ' + fill(W.morePeriods,
          {count: ob.units.length - PAGE.named})));
      }
      var row = D.obligations[ob.ob];
      body.appendChild(el('tr', {'data-obligation': row[0]},
        el('td', null, el('b', {text: row[0]}), el('div', {cls: 'small', text: row[1]})),
        el('td', {cls: 'nowrap', text: row[2]}), el('td', {cls: 'n', text: String(ob.overdue)}),
        el('td', {cls: 'n', text: String(ob.atRisk)}), el('td', null, names)));
    });
    table.appendChild(body);
    byObligation.appendChild(table);
  }

  // --------------------------------------------------------------- roll-ups
  function bar(byStatus, total) {
    var node = el('div', {cls: 'bar', title: STATUSES.map(function (s, k) {
      return D.statusNames[s] + ' ' + byStatus[k]; }).join(' · ')});
    STATUSES.forEach(function (s, k) {
      if (byStatus[k]) { node.appendChild(el('span', {style: 'width:' +
        (100 * byStatus[k] / total) + '%;background:' + colour(k)})); }
    });
    return node;
  }
  function statusHeads() {
    return STATUSES.map(function (s) { return el('th', {cls: 'n', text: D.statusNames[s]}); });
  }
  function renderRollups(indexes) {
    var perUnit = {}, units = [], perOb = {}, obs = [];
    indexes.forEach(function (i) {
      var r = D.results[i];
      var u = perUnit[r[UNIT]];
      if (!u) { u = perUnit[r[UNIT]] = {unit: r[UNIT], counts: STATUSES.map(function () {
        return 0; })}; units.push(u); }
      u.counts[r[STATUS]]++;
      var o = perOb[r[OB]];
      if (!o) { o = perOb[r[OB]] = {ob: r[OB], first: i, counts: STATUSES.map(function () {
        return 0; }), units: {}}; obs.push(o); }
      o.counts[r[STATUS]]++;
      var seen = o.units[r[UNIT]] || (o.units[r[UNIT]] = {});
      seen[r[STATUS]] = true;
    });
    units.sort(byKeys(function (u) { return [-u.counts[OVERDUE], -u.counts[AT_RISK],
      D.units[u.unit][0]]; }));
    obs.forEach(function (o) {
      var all = Object.keys(o.units).map(function (k) { return o.units[k]; });
      o.unitCount = all.length;
      o.overdue = all.filter(function (s) { return s[OVERDUE]; }).length;
      o.atRisk = all.filter(function (s) { return s[AT_RISK] && !s[OVERDUE]; }).length;
    });
    obs.sort(byKeys(function (o) { return [-o.overdue, -o.atRisk, o.first]; }));
    var unitBox = document.getElementById('rollup-units');
    unitBox.textContent = '';
    var head = el('tr', null, el('th', {text: W.unit}));
    statusHeads().forEach(function (th) { head.appendChild(th); });
    head.appendChild(el('th', {cls: 'n', text: W.total}));
    head.appendChild(el('th', {cls: 'noprint'}));
    var body = el('tbody');
    units.slice(0, shown.units).forEach(function (u) {
      var total = u.counts.reduce(function (a, b) { return a + b; }, 0);
      var row = el('tr', {'data-unit': D.units[u.unit][0]},
        el('td', null, el('button', {cls: 'link', text: unitText(u.unit),
          onclick: function () { setFilter('unit', D.units[u.unit][0]); }})));
      u.counts.forEach(function (n) { row.appendChild(el('td', {cls: 'n', text: String(n)})); });
      row.appendChild(el('td', {cls: 'n', text: String(total)}));
      row.appendChild(el('td', {cls: 'noprint'}, bar(u.counts, total)));
      body.appendChild(row);
    });
    unitBox.appendChild(el('h3', {cls: 'panel-title', text: W.perUnit}));
    unitBox.appendChild(el('table', null, el('thead', null, head), body));
    if (units.length > shown.units) {
      unitBox.appendChild(moreButton(Math.min(PAGE.units, units.length - shown.units),
        function () { shown.units += PAGE.units; render(); }));
    }
    var obBox = document.getElementById('rollup-obligations');
    obBox.textContent = '';
    var obHead = el('tr', null, el('th', {text: W.obligation}), el('th', {text: W.refs}),
      el('th', {cls: 'n', text: W.units}), el('th', {cls: 'n', text: W.unitsOverdue}),
      el('th', {cls: 'n', text: W.unitsAtRisk}));
    statusHeads().forEach(function (th) { obHead.appendChild(th); });
    obHead.appendChild(el('th', {cls: 'noprint'}));
    var obBody = el('tbody');
    obs.forEach(function (o) {
      var meta = D.obligations[o.ob], total = o.counts.reduce(function (a, b) { return a + b; }, 0);
      var row = el('tr', {'data-obligation': meta[0]},
        el('td', null, el('button', {cls: 'link', text: meta[0],
          onclick: function () { setFilter('obligation', meta[0]); }}),
          el('div', {cls: 'small', text: meta[1]})),
        el('td', {cls: 'nowrap', text: meta[2]}), el('td', {cls: 'n', text: String(o.unitCount)}),
        el('td', {cls: 'n', text: String(o.overdue)}), el('td', {cls: 'n', text: String(o.atRisk)}));
      o.counts.forEach(function (n) { row.appendChild(el('td', {cls: 'n', text: String(n)})); });
      row.appendChild(el('td', {cls: 'noprint'}, bar(o.counts, total)));
      obBody.appendChild(row);
    });
    obBox.appendChild(el('h3', {cls: 'panel-title', text: W.perObligation}));
    obBox.appendChild(el('table', null, el('thead', null, obHead), obBody));
  }

  // --------------------------------------------------------------- all results
  function detailRow(r) {
    var meta = D.obligations[r[OB]];
    var cell = el('td', {colspan: 7},
      el('div', null, el('b', {text: W.reason + ': '}), text(r[REASON])),
      r[SLACK] >= 0 ? el('div', null, el('b', {text: W.slack + ': '}), text(r[SLACK])) : null,
      el('div', null, el('b', {text: W.evidence + ': '}),
        r[EVIDENCE] >= 0 && T[r[EVIDENCE]] ? text(r[EVIDENCE]) : W.noEvidence),
      el('div', {cls: 'small'}, (meta[4] ? W.clause + ' ' + meta[4] + ' · ' : '') + W.source +
        ' ' + meta[5] + (meta[3] ? ' · ' + D.statusNames[meta[3]] : '')),
      meta[6] ? el('div', {cls: 'small', text: W.consequence + ': ' + meta[6]}) : null);
    return el('tr', {cls: 'detail'}, cell);
  }
  function renderResults(indexes) {
    var box = document.getElementById('results-table');
    box.textContent = '';
    var pages = Math.max(1, Math.ceil(indexes.length / PAGE.results));
    shown.resultsPage = Math.min(shown.resultsPage, pages - 1);
    var start = shown.resultsPage * PAGE.results;
    var body = el('tbody');
    indexes.slice(start, start + PAGE.results).forEach(function (i) {
      var r = D.results[i], meta = D.obligations[r[OB]];
      var row = el('tr', {cls: 'result', 'data-status': STATUSES[r[STATUS]],
        'data-unit': D.units[r[UNIT]][0], 'data-obligation': meta[0], tabindex: 0},
        el('td', {text: unitText(r[UNIT]) + (r[PERSON] >= 0 ? ' · ' + text(r[PERSON]) : '')}),
        el('td', null, el('span', {text: meta[0]}), el('div', {cls: 'small', text: meta[2]})),
        el('td', {cls: 'nowrap', text: text(r[LABEL])}),
        el('td', {cls: 'nowrap', text: text(r[DUE])}),
        el('td', null, badge(r[STATUS])),
        el('td', {cls: 'n', text: r[REQ] === null ? '' : number(r[ACT]) + '/' + number(r[REQ])}),
        el('td', {text: text(r[PLAIN])}));
      row.addEventListener('click', function () {
        var next = row.nextSibling;
        if (next && next.className === 'detail') { next.remove(); }
        else { row.parentNode.insertBefore(detailRow(r), row.nextSibling); }
      });
      body.appendChild(row);
    });
    box.appendChild(el('table', null, el('thead', null, el('tr', null,
      el('th', {text: W.unit}), el('th', {text: W.obligation}), el('th', {text: W.period}),
      el('th', {text: W.due}), el('th', {text: W.status}), el('th', {cls: 'n', text: W.numbers}),
      el('th', {text: W.inWords}))), body));
    box.appendChild(pager(shown.resultsPage, pages, function (page) {
      shown.resultsPage = page; renderResults(indexes);
    }));
  }
  function pager(page, pages, go) {
    if (pages <= 1) { return el('span'); }
    return el('div', {cls: 'pager'},
      el('button', {text: W.previous, disabled: page === 0 ? 'disabled' : null,
        onclick: function () { go(page - 1); }}),
      el('span', {text: fill(W.page, {page: page + 1, pages: pages})}),
      el('button', {text: W.next, disabled: page >= pages - 1 ? 'disabled' : null,
        onclick: function () { go(page + 1); }}));
  }

  // --------------------------------------------------------------- grids
  function renderGrid(ob, box, indexes) {
    box.textContent = '';
    var statusWanted = state.status ? STATUSES.indexOf(state.status) : -1;
    var periods = {}, rows = {}, rowOrder = [], perEvent = false;
    indexes.forEach(function (i) {
      var r = D.results[i];
      if (r[OB] !== ob) { return; }
      if (r[PER_EVENT]) { perEvent = true; return; }
      periods[r[LABEL]] = T[r[START]];
      var key = r[UNIT] + '\u0000' + text(r[PERSON]);
      var row = rows[key];
      if (!row) { row = rows[key] = {unit: r[UNIT], person: r[PERSON], cells: {}};
        rowOrder.push(row); }
      row.cells[r[LABEL]] = i;
    });
    var labels = Object.keys(periods).map(Number).sort(byKeys(function (l) {
      return [periods[l], T[l]]; }));
    if (!labels.length) {
      box.appendChild(el('p', {cls: 'small', text: perEvent ? W.perEvent : W.attentionNone}));
      return;
    }
    if (statusWanted >= 0) {
      rowOrder = rowOrder.filter(function (row) { return Object.keys(row.cells).some(
        function (l) { return D.results[row.cells[l]][STATUS] === statusWanted; }); });
    }
    rowOrder.sort(byKeys(function (row) { return [D.units[row.unit][0], text(row.person)]; }));
    var page = gridPages[ob] || 0, pages = Math.max(1, Math.ceil(rowOrder.length / PAGE.grid));
    page = Math.min(page, pages - 1);
    var days = labels.every(function (l) { return /^\d{4}-\d\d-\d\d$/.test(T[l]); });
    var head = el('thead');
    if (days) {
      var months = el('tr', {cls: 'months'}, el('th')), dayRow = el('tr', null, el('th'));
      var month = null, span = null;
      labels.forEach(function (l) {
        var label = T[l];
        if (label.slice(0, 7) !== month) {
          month = label.slice(0, 7);
          span = el('th', {colspan: 0, text: month}); months.appendChild(span);
        }
        span.setAttribute('colspan', Number(span.getAttribute('colspan')) + 1);
        dayRow.appendChild(el('th', {cls: 'day', title: label, text: String(Number(label.slice(8)))}));
      });
      head.appendChild(months); head.appendChild(dayRow);
    } else {
      var row = el('tr', null, el('th'));
      labels.forEach(function (l) { row.appendChild(el('th', {title: T[l], text: T[l]})); });
      head.appendChild(row);
    }
    var body = el('tbody');
    rowOrder.slice(page * PAGE.grid, (page + 1) * PAGE.grid).forEach(function (row) {
      var tr = el('tr', null, el('th', {text: unitText(row.unit) +
        (row.person >= 0 ? ' · ' + text(row.person) : '')}));
      labels.forEach(function (l) {
        var i = row.cells[l];
        if (i === undefined) { tr.appendChild(el('td', {cls: 'gap', title: W.noResult})); return; }
        var r = D.results[i];
        tr.appendChild(el('td', {cls: statusWanted >= 0 && r[STATUS] !== statusWanted ? 'dim' : null,
          style: 'background:' + colour(r[STATUS]), 'data-status': STATUSES[r[STATUS]],
          title: unitText(r[UNIT]) + ' · ' + T[l] + ': ' + D.statusNames[STATUSES[r[STATUS]]] +
            ' — ' + text(r[PLAIN])}));
      });
      body.appendChild(tr);
    });
    box.appendChild(el('div', {cls: 'grid-wrap'}, el('table', {cls: 'grid'}, head, body)));
    box.appendChild(pager(page, pages, function (next) {
      gridPages[ob] = next; renderGrid(ob, box, indexes);
    }));
  }
  function renderGrids(indexes) {
    var wanted = state.obligation;
    document.querySelectorAll('details.grid-of').forEach(function (details) {
      var ob = Number(details.getAttribute('data-index'));
      details.hidden = Boolean(wanted) && D.obligations[ob][0] !== wanted;
      var box = details.querySelector('.grid-box');
      if (details.open && !details.hidden) { renderGrid(ob, box, indexes); }
      else { box.textContent = ''; }
    });
  }

  // --------------------------------------------------------------- the page
  function renderOverview() {
    var all = selected(false), byStatus = STATUSES.map(function () { return 0; });
    all.forEach(function (i) { byStatus[D.results[i][STATUS]]++; });
    document.querySelectorAll('.overview .box').forEach(function (box) {
      var k = STATUSES.indexOf(box.getAttribute('data-status'));
      box.querySelector('b').textContent = String(byStatus[k]);
      box.classList.toggle('empty', !byStatus[k]);
      box.setAttribute('aria-pressed', state.status === STATUSES[k] ? 'true' : 'false');
    });
  }
  var current = [];
  function render() {
    current = selected(true);
    renderOverview();
    renderAttention(current);
    renderRollups(current);
    renderResults(current);
    renderGrids(current);
    document.getElementById('shown').textContent =
      fill(W.shown, {shown: current.length, total: D.results.length});
    var problem = document.getElementById('filter-problem');
    problem.textContent = wantedUnit() === -2 ? fill(W.noUnit, {unit: state.unit}) : '';
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    var hash = params.toString();
    history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
  }
  function setFilter(key, value) {
    state[key] = value;
    var field = document.getElementById('f-' + key);
    if (field) { field.value = value; }
    shown.cards = PAGE.cards; shown.units = PAGE.units; shown.resultsPage = 0; gridPages = {};
    writeHash();
    render();
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(state).forEach(function (key) {
      state[key] = params.get(key) || '';
      var field = document.getElementById('f-' + key);
      if (field) { field.value = state[key]; }
    });
  }
  // the unit field suggests ids and names as one types (never a list of every unit)
  function suggest() {
    var list = document.getElementById('unit-names'), typed = state.unit.toLowerCase();
    list.textContent = '';
    if (!typed) { return; }
    var found = 0;
    for (var u = 0; u < D.units.length && found < 30; u++) {
      var label = unitText(u);
      if (label.toLowerCase().indexOf(typed) >= 0) {
        list.appendChild(el('option', {value: D.units[u][0], label: label})); found++;
      }
    }
  }
  function setUp() {
    var obligation = document.getElementById('f-obligation');
    D.obligations.forEach(function (row) {
      obligation.appendChild(el('option', {value: row[0], text: row[0] + ' — ' + row[1]}));
    });
    var status = document.getElementById('f-status');
    STATUSES.forEach(function (s) { status.appendChild(el('option', {value: s,
      text: D.statusNames[s]})); });
    var timer = null;
    ['status', 'unit', 'obligation', 'q'].forEach(function (key) {
      var field = document.getElementById('f-' + key);
      field.addEventListener('input', function () {
        if (key === 'unit') { state.unit = field.value; suggest(); }
        clearTimeout(timer);
        timer = setTimeout(function () { setFilter(key, field.value); }, key === 'q' ? 200 : 0);
      });
    });
    document.getElementById('clear').addEventListener('click', function () {
      Object.keys(state).forEach(function (key) { state[key] = ''; });
      readHashInto(); setFilter('q', '');
    });
    document.querySelectorAll('.overview .box').forEach(function (box) {
      box.addEventListener('click', function () {
        var s = box.getAttribute('data-status');
        setFilter('status', state.status === s ? '' : s);
      });
    });
    document.querySelectorAll('.tabs').forEach(function (tabs) {
      tabs.querySelectorAll('button').forEach(function (button) {
        button.addEventListener('click', function () {
          showTab(tabs, button.getAttribute('data-tab'));
        });
      });
      showTab(tabs, tabs.querySelector('button').getAttribute('data-tab'));
    });
    document.querySelectorAll('details.grid-of').forEach(function (details) {
      details.addEventListener('toggle', function () { renderGrids(current); });
    });
    window.addEventListener('hashchange', function () { readHash(); render(); });
  }
  function readHashInto() {
    Object.keys(state).forEach(function (key) {
      var field = document.getElementById('f-' + key);
      if (field) { field.value = state[key]; }
    });
  }
  // each `.tabs` names its panels: data-panels="attention-units attention-obligations"
  function showTab(tabs, name) {
    tabs.querySelectorAll('button').forEach(function (button) {
      var on = button.getAttribute('data-tab') === name;
      button.setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById(button.getAttribute('data-tab')).hidden = !on;
    });
  }
  setUp();
  readHash();
  render();
  document.documentElement.setAttribute('data-ready', 'true');
})();
