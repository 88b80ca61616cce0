import SearchIcon from '@mui/icons-material/Search';
import { Autocomplete, Box, InputAdornment, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../dataProvider';
import { useRedirect } from 'react-admin';
import { useOps } from '../useOps';

const KIND: Record<SearchHit['resource'], string> = { users: 'User', orders: 'Order', api_keys: 'API key' };

/** Waits until typing pauses, so the server sees one query per word, not one per key. */
function useDebounced(value: string, ms = 200) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * The search box on every page: a user by email or id, an order by number, an API key by prefix.
 * `/` or Ctrl+K (⌘K) focuses it; Enter opens the highlighted (by default the first) result.
 */
export function GlobalSearch() {
  const ops = useOps();
  const redirect = useRedirect();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const { data: hits = [], isFetching } = useQuery({ queryKey: ['search', q], queryFn: () => ops.search(q), enabled: q.length >= 2, staleTime: 10_000 });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      if ((e.key === '/' && !typing) || (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Box sx={{ width: { xs: 150, sm: 280, md: 360 }, mx: 1 }}>
      <Autocomplete<SearchHit, false, false, true>
        freeSolo
        autoHighlight
        size="small"
        options={q.length >= 2 ? hits : []}
        filterOptions={(o) => o}
        loading={isFetching}
        inputValue={text}
        onInputChange={(_e, v, reason) => reason !== 'reset' && setText(v)}
        getOptionLabel={(o) => (typeof o === 'string' ? o : o.label)}
        isOptionEqualToValue={(a, b) => typeof b !== 'string' && a.resource === b.resource && a.id === b.id}
        renderOption={(props, o) => (
          <li {...props} key={`${o.resource}-${o.id}`}>
            <Box>
              <strong>{KIND[o.resource]}</strong> {o.label}
              {o.detail && <Box sx={{ color: 'text.secondary', fontSize: 12 }}>{o.detail}</Box>}
            </Box>
          </li>
        )}
        onChange={(_e, value) => {
          // Enter before the list highlighted anything (results still arriving): open the best hit.
          if (typeof value === 'string') value = hits[0] ?? null;
          if (!value) return;
          setText('');
          input.current?.blur();
          redirect('show', value.resource, value.id);
        }}
        renderInput={(params) => (
          <TextField
            {...params}
            inputRef={input}
            // 40 px: inside the 48 px react-admin's layout leaves the app bar. Its default text field
            // (filled, dense margin) is 60 px and would push the bar over the menu's first item.
            variant="outlined"
            margin="none"
            placeholder="Search ( / )"
            slotProps={{
              ...params.slotProps,
              htmlInput: { ...params.slotProps.htmlInput, 'aria-label': 'Search everything' },
              input: {
                ...params.slotProps.input,
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon fontSize="small" />
                  </InputAdornment>
                ),
                sx: { bgcolor: 'background.paper', borderRadius: 1 },
              },
            }}
          />
        )}
      />
    </Box>
  );
}
