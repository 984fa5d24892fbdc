import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';

interface Side {
  name: string | undefined;
  speeds: string;
}

/** The confirm dialog's from → to, with both speeds: the change and the change back show the same table. */
export function ChangeTable({ from, to }: { from: Side; to: Side }) {
  return (
    <Table size="small" aria-label="The change" sx={{ my: 2 }}>
      <TableHead>
        <TableRow>
          <TableCell />
          <TableCell>Speed profile</TableCell>
          <TableCell>Speeds</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        <TableRow>
          <TableCell component="th" scope="row">
            From
          </TableCell>
          <TableCell>{from.name ?? 'not reported'}</TableCell>
          <TableCell>{from.speeds}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell component="th" scope="row">
            To
          </TableCell>
          <TableCell sx={{ fontWeight: 600 }}>{to.name ?? 'not reported'}</TableCell>
          <TableCell sx={{ fontWeight: 600 }}>{to.speeds}</TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}
