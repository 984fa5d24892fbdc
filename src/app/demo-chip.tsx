import Chip from '@mui/material/Chip';

/** Says the answers come from the server's built-in mock. Not a tab stop: the first key press on the page goes to the VM field. */
export function DemoChip() {
  return (
    <Chip
      label="Demo data"
      size="small"
      color="warning"
      variant="outlined"
      title="No Katapult API is configured: answers come from the built-in mock."
      // It arrives after the header is drawn: it keeps its size, and who is signed in gives way.
      sx={{ flexShrink: 0 }}
    />
  );
}
