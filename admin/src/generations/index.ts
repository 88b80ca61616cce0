import AutoAwesomeIcon from '@mui/icons-material/AutoAwesome';
import { GenerationList, GenerationShow } from './GenerationViews';

export default { list: GenerationList, show: GenerationShow, icon: AutoAwesomeIcon, recordRepresentation: 'gen_id' };
