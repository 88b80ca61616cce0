import { Box, type SxProps, type Theme } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { useListContext } from 'react-admin';

// Once per page load: after the first list has shown its rows, everything renders at once again.
let firstRowsShown = false;

/**
 * On a cold load every component renders for the first time in this tab, which is several times
 * dearer than later renders (V8 compiles each function on first call, emotion serializes each style
 * once): the first list's rows come sooner when what an operator reads after them (the filter
 * sidebar and its count requests) waits for the frame after the rows are painted. Later lists in
 * the same page render whole. The placeholder keeps the space, so nothing moves when it arrives.
 */
export function AfterFirstRows({ children, placeholderSx }: { children: ReactNode; placeholderSx?: SxProps<Theme> }) {
  const { isPending } = useListContext();
  const [show, setShow] = useState(firstRowsShown);
  useEffect(() => {
    if (show || isPending) return;
    // The frame with the rows is painted after the next animation frame's callbacks; a task queued
    // from there runs after that paint.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        firstRowsShown = true;
        setShow(true);
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
    };
  }, [show, isPending]);
  return show ? children : <Box sx={placeholderSx} aria-hidden />;
}
